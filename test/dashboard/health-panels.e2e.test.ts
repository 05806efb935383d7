/**
 * The release-health and Web Vitals panels in real Chromium against the real app. Sessions and a
 * crash come in through the Sentry envelope endpoint, measurements through /api/vitals; a user
 * logs in and reads the numbers worked out by hand below. An alert's link opens the group page.
 * Screenshots land in test/artifacts/health/ (not committed).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import type { Browser, Locator, Page } from "playwright-core";
import { createProject } from "../../src/accounts/projects.ts";
import { alertLinks } from "../../src/alerts/alert-links.ts";
import { buildApp } from "../../src/app.ts";
import { envelope } from "../sentry/fixtures.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { BROWSER_UA, launchChromium } from "../support/browser.ts";
import { until } from "../support/wait.ts";

const SITE = "app.test";
const QUIET = "quiet.test";
const EMAIL = "owner@app.test";
const PASSWORD = "a long enough passphrase";
const SHOTS = "test/artifacts/health";

let t: TestApp;
let origin: string;
let browser: Browser | null;
let groupId = "";
const outside: string[] = [];

/**
 * Release health (Sentry `sessions` aggregates, started now):
 *   app@1.0.0  4 sessions: 2 exited, 1 errored, 1 crashed → 75 % crash-free, errored 2, crashed 1
 *   app@2.0.0  3 sessions, all exited                      → 100 %
 * Web Vitals (p75, interpolated like percentile_cont):
 *   "/"        LCP 1000, 2000, 3000, 4000 → 3.25 s; INP 50, 100, 150, 600 → 263 ms; CLS 0.05
 *   "/pricing" LCP 900 → 900 ms; TTFB 80 → 80 ms
 *   all pages  LCP → 3.00 s; 5 page loads
 */
beforeAll(async () => {
  browser = await launchChromium();
  if (!browser) return;
  mkdirSync(SHOTS, { recursive: true });
  t = await startTestApp({ env: { ADMIN_EMAIL: EMAIL, ADMIN_PASSWORD: PASSWORD } });
  const app = buildApp(t.runtime.deps);
  app.listen({ port: 0, hostname: "127.0.0.1" });
  origin = `http://127.0.0.1:${app.server!.port}`;
  const deps = t.runtime.deps;
  const db = { sql: deps.database.sql, ensureSchema: deps.ensureSchema };
  const project = await createProject(db, { name: "App", domains: [SITE], timezone: "UTC" }, { name: "Default key" });
  await createProject(db, { name: "Quiet", domains: [QUIET], timezone: "UTC" });

  const now = new Date().toISOString();
  const sessions = (release: string, counts: Record<string, number>) => ({
    header: { type: "sessions" },
    payload: { attrs: { release, environment: "production" }, aggregates: [{ started: now, ...counts }] },
  });
  const crash = {
    header: { type: "event" },
    payload: {
      event_id: "c0ffee".padEnd(32, "0"),
      release: "app@1.0.0",
      exception: { values: [{ type: "CheckoutError", value: "card declined" }] },
      request: { url: `https://${SITE}/checkout` },
    },
  };
  const res = await t.app.handle(
    new Request(`http://localhost/api/${project.id}/envelope/?sentry_key=${project.key}`, {
      method: "POST",
      headers: { "user-agent": "sentry.javascript.browser/10.0.0", "x-forwarded-for": "198.51.100.9" },
      body: envelope({}, [sessions("app@1.0.0", { exited: 2, errored: 1, crashed: 1 }), sessions("app@2.0.0", { exited: 3 }), crash]),
    }),
  );
  expect(res.status).toBe(200);

  const loads = [
    { pathname: "/", lcp: 1000, inp: 50, cls: 0.05 },
    { pathname: "/", lcp: 2000, inp: 100, cls: 0.05 },
    { pathname: "/", lcp: 3000, inp: 150, cls: 0.05 },
    { pathname: "/", lcp: 4000, inp: 600, cls: 0.05 },
    { pathname: "/pricing", lcp: 900, ttfb: 80 },
  ];
  for (const [i, l] of loads.entries()) expect((await t.post("/api/vitals", { site: SITE, ...l }, { ip: `198.51.100.${20 + i}` })).status).toBe(202);
  // Page views on both sites, so both have a traffic dashboard.
  for (const site of [SITE, QUIET]) expect((await t.post("/api/pageview", { site, pathname: "/" })).status).toBe(202);

  await t.waitForRows("web_vitals", 5);
  await t.waitForRows("crashes", 1);
  await until(async () => Number((await t.sql`select coalesce(sum(started), 0)::int as n from release_health`)[0]!.n) === 7, "7 sessions counted");
  groupId = String((await t.sql`select group_id from crashes limit 1`)[0]!.group_id);
}, 120_000);

afterAll(async () => {
  if (!browser) return;
  await browser.close();
  await t?.stop();
});

async function seeText(loc: Locator, want: string) {
  let last: string | null = null;
  await until(async () => (last = ((await loc.first().textContent({ timeout: 500 })) ?? "").trim()) === want, `text ${want}`).catch((err: Error) => {
    throw new Error(`${err.message} (last text: ${JSON.stringify(last)})`);
  });
}

async function newPage(colorScheme: "light" | "dark" = "light"): Promise<Page> {
  const ctx = await browser!.newContext({ userAgent: BROWSER_UA, locale: "en-US", colorScheme, viewport: { width: 1280, height: 900 } });
  ctx.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(`${origin}/`) && !u.startsWith("data:") && !u.startsWith("blob:")) outside.push(u);
  });
  const page = await ctx.newPage();
  await page.goto(`${origin}/`);
  await page.waitForURL(/\/login/);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${origin}/`);
  return page;
}

const cell = (row: Locator, metric: string) => row.locator(`[data-metric="${metric}"]`);

describe("release health and Web Vitals panels", () => {
  test("the crashes tab shows crash-free sessions per release", async () => {
    if (!browser) return;
    const page = await newPage();
    await page.goto(`${origin}/sites/${SITE}?tab=crashes`);
    const panel = page.getByTestId("release-health");
    const v1 = panel.locator('[data-testid="release-health-row"][data-release="app@1.0.0"]');
    const v2 = panel.locator('[data-testid="release-health-row"][data-release="app@2.0.0"]');
    await seeText(cell(v1, "crash_free_rate").locator(".meter-value"), "75%");
    await seeText(cell(v1, "sessions"), "4");
    await seeText(cell(v1, "crashed_sessions"), "1");
    await seeText(cell(v1, "errored_sessions"), "2");
    await seeText(cell(v2, "crash_free_rate").locator(".meter-value"), "100%");
    await seeText(cell(v2, "sessions"), "3");
    // Most sessions first; a rate under 95 % is marked bad, 100 % good.
    await seeText(panel.locator('[data-testid="release-health-row"]').first().locator("th"), "app@1.0.0");
    expect(await cell(v1, "crash_free_rate").locator(".meter").getAttribute("class")).toContain("meter-bad");
    expect(await cell(v2, "crash_free_rate").locator(".meter").getAttribute("class")).toContain("meter-good");
    await page.screenshot({ path: `${SHOTS}/crashes-release-health.png`, fullPage: true });
    expect(outside).toEqual([]);
    await page.context().close();
  }, 60_000);

  test("the site view shows Web Vitals p75 per page; a click filters by the page", async () => {
    if (!browser) return;
    const page = await newPage();
    await page.goto(`${origin}/sites/${SITE}`);
    const panel = page.getByTestId("panel-vitals");
    const all = panel.getByTestId("vitals-all");
    const home = panel.locator('[data-testid="vitals-row"][data-page="/"]');
    const pricing = panel.locator('[data-testid="vitals-row"][data-page="/pricing"]');
    await seeText(cell(all, "lcp_p75"), "3.00 s");
    await seeText(cell(all, "vitals_measurements"), "5");
    await seeText(cell(home, "lcp_p75"), "3.25 s");
    await seeText(cell(home, "inp_p75"), "263 ms");
    await seeText(cell(home, "cls_p75"), "0.05");
    await seeText(cell(home, "ttfb_p75"), "–");
    await seeText(cell(home, "vitals_measurements"), "4");
    await seeText(cell(pricing, "lcp_p75"), "900 ms");
    await seeText(cell(pricing, "ttfb_p75"), "80 ms");
    expect(await cell(home, "lcp_p75").getAttribute("class")).toContain("rating-warn");
    expect(await cell(pricing, "lcp_p75").getAttribute("class")).toContain("rating-good");
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/site-web-vitals.png`, fullPage: true });

    await pricing.getByRole("button", { name: "/pricing" }).click();
    await page.waitForURL(/f=is%7Cpage%7C%2Fpricing/);
    await seeText(cell(all, "lcp_p75"), "900 ms");
    await seeText(cell(all, "vitals_measurements"), "1");
    expect(await panel.locator('[data-testid="vitals-row"]').count()).toBe(1);
    expect(outside).toEqual([]);
    await page.context().close();

    // The dark theme, for a reviewer's eye: the ratings stay readable.
    const dark = await newPage("dark");
    await dark.goto(`${origin}/sites/${SITE}?tab=crashes`);
    await seeText(dark.locator('[data-release="app@1.0.0"] [data-metric="crash_free_rate"] .meter-value'), "75%");
    await dark.screenshot({ path: `${SHOTS}/crashes-release-health-dark.png`, fullPage: true });
    await dark.goto(`${origin}/sites/${SITE}`);
    await seeText(cell(dark.getByTestId("vitals-all"), "lcp_p75"), "3.00 s");
    await dark.getByTestId("panel-vitals").screenshot({ path: `${SHOTS}/web-vitals-dark.png` });
    await dark.context().close();
  }, 60_000);

  test("a site without sessions or measurements shows neither panel", async () => {
    if (!browser) return;
    const page = await newPage();
    await page.goto(`${origin}/sites/${QUIET}`);
    await seeText(page.getByTestId("stat-visitors").locator(".stat-value"), "1");
    await page.waitForLoadState("networkidle");
    expect(await page.getByTestId("panel-vitals").count()).toBe(0);
    await page.goto(`${origin}/sites/${QUIET}?tab=crashes`);
    await page.getByRole("heading", { name: "Crashes per release" }).waitFor();
    await page.waitForLoadState("networkidle");
    expect(await page.getByTestId("release-health").count()).toBe(0);
    await page.context().close();
  }, 60_000);

  test("a crash alert's link opens the group's page in the dashboard", async () => {
    if (!browser) return;
    const page = await newPage();
    const link = alertLinks(origin, SITE, groupId)!.url;
    await page.goto(link);
    await seeText(page.locator("h1.crash-heading"), "CheckoutErrorcard declined");
    await page.screenshot({ path: `${SHOTS}/alert-link-group.png`, fullPage: true });
    await page.context().close();
  }, 60_000);
});
