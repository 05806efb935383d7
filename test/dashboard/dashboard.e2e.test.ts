/**
 * The dashboard in real Chromium against the real app: known traffic and a crash are sent through
 * the ingest API, then a user logs in and reads them. Every number asserted here is the seeded
 * one, worked out by hand below. Screenshots land in test/artifacts/dashboard/ (not committed).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { buildApp } from "../../src/app.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { BROWSER_UA, launchChromium } from "../support/browser.ts";
import { until } from "../support/wait.ts";

const SITE = "shop.test";
const EMAIL = "owner@shop.test";
const PASSWORD = "a long enough passphrase";
const SHOTS = "test/artifacts/dashboard";

/**
 * Five visitors (one visit each), eight page views, three bounces:
 *   v1 DE google  / → /pricing        v2 DE google  /           v3 FR direct /
 *   v4 US hn      / → /pricing → /docs v5 DE google  /pricing
 * visitors 5, page views 8, bounce rate 60 %; top page "/" (4 visitors); top source Google (3);
 * Germany 3. Filtered to Germany: visitors 3, page views 4, bounce rate 67 %.
 */
const VISITS = [
  { ip: "198.51.100.1", country: "DE", referrer: "https://www.google.com/", pages: ["/", "/pricing"] },
  { ip: "198.51.100.2", country: "DE", referrer: "https://www.google.com/", pages: ["/"] },
  { ip: "198.51.100.3", country: "FR", referrer: "", pages: ["/"] },
  { ip: "198.51.100.4", country: "US", referrer: "https://news.ycombinator.com/item?id=1", pages: ["/", "/pricing", "/docs"] },
  { ip: "198.51.100.5", country: "DE", referrer: "https://www.google.com/", pages: ["/pricing"] },
];

let t: TestApp;
let origin: string;
let browser: Browser | null;
/** Whether the triage API (another branch's) is mounted; its assertions wait for it. */
let crashApi = false;
const outside: string[] = [];

async function newContext(o: { colorScheme?: "light" | "dark"; viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  const ctx = await browser!.newContext({ userAgent: BROWSER_UA, locale: "en-US", colorScheme: o.colorScheme ?? "light", viewport: o.viewport ?? { width: 1280, height: 900 } });
  // Every request any page makes is checked: the dashboard never talks to anyone but its server.
  ctx.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(`${origin}/`) && !u.startsWith("data:") && !u.startsWith("blob:")) outside.push(u);
  });
  return ctx;
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  // A small copy, the kind docs/screenshots/ keeps for the README.
  await page.screenshot({ path: `${SHOTS}/${name}.small.jpg`, type: "jpeg", quality: 70, fullPage: true });
}

const stat = (page: Page, metric: string) => page.getByTestId(`stat-${metric}`).locator(".stat-value");
const firstRow = (page: Page, panel: string) => page.getByTestId(`panel-${panel}`).locator(".ranked-row").first();

/** Waits until the element's text is (or contains) `want`; the error names the last text seen. */
async function seeText(loc: Locator, want: string | RegExp, mode: "is" | "contains" = "is") {
  let last: string | null = null;
  const ok = (text: string) => (typeof want === "string" ? (mode === "is" ? text === want : text.includes(want)) : want.test(text));
  await until(
    async () => {
      last = ((await loc.first().textContent({ timeout: 500 })) ?? "").trim();
      return ok(last);
    },
    `text ${String(want)}`,
  ).catch((err: Error) => {
    throw new Error(`${err.message} (last text: ${JSON.stringify(last)})`);
  });
}
async function seeAttribute(loc: Locator, name: string, want: string) {
  let last: string | null = null;
  await until(async () => (last = await loc.first().getAttribute(name, { timeout: 500 })) === want, `${name}=${want}`).catch((err: Error) => {
    throw new Error(`${err.message} (last: ${JSON.stringify(last)})`);
  });
}
async function seeCount(loc: Locator, want: number) {
  let last = -1;
  await until(async () => (last = await loc.count()) === want && (want === 0 || (await loc.first().isVisible())), `${want} visible element(s)`).catch((err: Error) => {
    throw new Error(`${err.message} (last count: ${last})`);
  });
}

async function login(page: Page) {
  await page.goto(`${origin}/`);
  await page.waitForURL(/\/login/);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(`${origin}/`);
}

beforeAll(async () => {
  browser = await launchChromium();
  if (!browser) return;
  mkdirSync(SHOTS, { recursive: true });
  t = await startTestApp({ env: { ADMIN_EMAIL: EMAIL, ADMIN_PASSWORD: PASSWORD, COUNTRY_HEADER: "cf-ipcountry" } });
  const app = buildApp(t.runtime.deps);
  app.listen({ port: 0, hostname: "127.0.0.1" });
  origin = `http://127.0.0.1:${app.server!.port}`;
  let n = 0;
  for (const v of VISITS) {
    for (const [i, pathname] of v.pages.entries()) {
      const body = { site: SITE, pathname, url: `https://${SITE}${pathname}`, referrer: i === 0 && v.referrer ? v.referrer : `https://${SITE}/` };
      const res = await t.post("/api/pageview", body, { ip: v.ip, headers: { "cf-ipcountry": v.country } });
      expect(res.status).toBe(202);
      n++;
    }
  }
  // Two sign-ups (custom events) in visits that are not bounces anyway: no number above moves.
  for (const [i, plan] of [
    [0, "pro"],
    [3, "free"],
  ] as const) {
    const res = await t.post(
      "/api/event",
      { site: SITE, eventName: "signup", pathname: "/pricing", customProperties: { plan } },
      { ip: VISITS[i]!.ip, headers: { "cf-ipcountry": VISITS[i]!.country } },
    );
    expect(res.status).toBe(202);
  }
  const crash = await t.post(
    "/api/crash",
    {
      site: SITE,
      errorType: "TypeError",
      message: "cart is undefined",
      stack: "TypeError: cart is undefined\n    at checkout (https://shop.test/app.js:10:5)\n    at onClick (https://shop.test/app.js:20:3)",
      pathname: "/pricing",
      release: "1.0.0",
    },
    { ip: VISITS[0]!.ip },
  );
  expect(crash.status).toBe(202);
  await t.waitForRows("pageviews", n);
  await t.waitForRows("crashes", 1);
  await t.waitForRows("custom_events", 2);
  // The project that owns the site (what an admin does once in Settings).
  const res = await t.app.handle(
    new Request("http://localhost/api/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) }),
  );
  if (res.status === 404) {
    // The accounts API (login, admin) is another branch's: until it is mounted there is nothing to log in to.
    console.warn("[skip] dashboard e2e: /api/auth/login is not mounted (accounts API missing)");
    await t.stop();
    await browser.close();
    browser = null;
    return;
  }
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const created = await t.app.handle(
    new Request("http://localhost/api/admin/projects", {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ name: "Shop", domains: [SITE], timezone: "UTC" }),
    }),
  );
  expect(created.status).toBe(201);
  crashApi = (await t.app.handle(new Request(`http://localhost/api/crash-groups?site=${SITE}`, { headers: { cookie } }))).status !== 404;
}, 120_000);

afterAll(async () => {
  if (!browser) return;
  await browser.close();
  await t?.stop();
});

describe("dashboard", () => {
  test("shows the seeded numbers, filters by a click, changes the range, never leaves the origin", async () => {
    if (!browser) return;
    const ctx = await newContext();
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await login(page);

    const card = page.locator(`[data-testid="site-card"][data-site="${SITE}"]`);
    await seeText(card.getByTestId("today-visitors"), "5");
    if (crashApi) await seeText(card.getByTestId("open-crash-groups"), "1");
    await shot(page, "sites");

    await card.getByRole("link", { name: new RegExp(SITE) }).click();
    await page.waitForURL(`${origin}/sites/${SITE}`);
    await seeText(stat(page, "visitors"), "5");
    await seeText(stat(page, "pageviews"), "8");
    await seeText(stat(page, "visits"), "5");
    await seeText(stat(page, "bounce_rate"), "60%");
    await seeText(firstRow(page, "pages").locator(".ranked-text"), "/");
    await seeText(firstRow(page, "pages").locator(".ranked-value"), "4");
    await page.getByTestId("panel-sources").getByRole("tab", { name: "Sources" }).click();
    await seeText(firstRow(page, "sources").locator(".ranked-text"), "Google");
    await seeText(firstRow(page, "sources").locator(".ranked-value"), "3");
    await seeText(firstRow(page, "sources").locator(".ranked-share"), "60%");
    const germany = page.getByTestId("panel-locations").locator('.ranked-row[data-value="DE"]');
    await seeText(germany.locator(".ranked-text"), "Germany");
    await seeText(germany.locator(".ranked-value"), "3");
    await seeAttribute(page.getByTestId("main-graph"), "data-total", "5");
    // Goals: two of five visitors signed up; the property breakdown splits them by plan.
    await seeText(firstRow(page, "goals").locator(".ranked-text"), "signup");
    await seeText(firstRow(page, "goals").locator(".ranked-value"), "2");
    await seeText(firstRow(page, "goals").locator(".ranked-share"), "40%");
    await page
      .getByTestId("panel-props")
      .getByPlaceholder(/property key/)
      .fill("plan");
    await page.getByTestId("panel-props").getByRole("button", { name: "Break down" }).click();
    await seeCount(page.getByTestId("panel-props").locator(".ranked-row"), 2);
    await seeText(page.getByTestId("panel-props").locator('.ranked-row[data-value="pro"] .ranked-value'), "1");
    await shot(page, "site");

    // A row filters everything, and the filter is in the URL…
    // …with the keyboard: a row is a real button (focus, Enter).
    await germany.getByRole("button").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/f=is%7Ccountry%7CDE/);
    await seeText(page.locator(".chip"), "Country is Germany", "contains");
    await seeText(stat(page, "visitors"), "3");
    await seeText(stat(page, "pageviews"), "4");
    await seeText(stat(page, "bounce_rate"), "67%");
    await seeText(firstRow(page, "pages").locator(".ranked-text"), "/");
    await seeText(firstRow(page, "pages").locator(".ranked-value"), "2");
    await shot(page, "site-filtered");
    // The URL alone reproduces the view (bookmarks, shared links).
    await page.reload();
    await seeText(stat(page, "visitors"), "3");
    await page.getByRole("button", { name: /Remove filter Country/ }).click();
    await seeText(stat(page, "visitors"), "5");

    // A range with no traffic, then back.
    await page.getByTestId("period").selectOption("custom");
    await page.getByLabel("From", { exact: true }).fill("2020-01-01");
    await page.getByLabel("To", { exact: true }).fill("2020-01-31");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/period=custom/);
    await seeText(stat(page, "visitors"), "0");
    await seeAttribute(page.getByTestId("main-graph"), "data-points", "31");
    await page.getByTestId("period").selectOption("7d");
    await seeText(stat(page, "visitors"), "5");
    await seeAttribute(page.getByTestId("main-graph"), "data-points", "7");
    // Compare: the graph gains the previous period (nothing then), the URL keeps it.
    await page.getByLabel("Compare with previous period").check();
    await page.waitForURL(/compare=1/);
    await seeCount(page.getByTestId("main-graph").locator(".u-legend").getByText("Previous period"), 1);
    await seeText(stat(page, "visitors"), "5");

    // Details: search and page through a breakdown.
    await page
      .getByTestId("panel-pages")
      .getByRole("button", { name: /Details/ })
      .click();
    const dialog = page.locator("dialog.details");
    await seeCount(dialog.locator("tbody tr"), 3);
    await dialog.getByPlaceholder("Search pages").fill("pri");
    await seeCount(dialog.locator("tbody tr"), 1);
    await seeText(dialog.locator("tbody tr th"), "/pricing");
    await dialog.getByRole("button", { name: "Close" }).click();

    expect(errors).toEqual([]);
    await ctx.close();
  }, 120_000);

  test("a crash group is resolved from its page", async () => {
    if (!browser) return;
    const ctx = await newContext();
    const page = await ctx.newPage();
    await login(page);
    if (!crashApi) {
      console.warn("[skip] dashboard e2e: /api/crash-groups is not mounted (triage API missing)");
      await ctx.close();
      return;
    }
    await page.goto(`${origin}/sites/${SITE}?tab=crashes`);
    const row = page.getByTestId("crash-group-row").first();
    await seeText(row, "cart is undefined", "contains");
    await seeText(row.getByTestId("crash-status"), "New");
    await shot(page, "crashes");
    await row.getByRole("link").click();
    await page.waitForURL(/\/crashes\//);
    await seeText(page.locator(".frame.in-app").first(), "checkout", "contains");
    await shot(page, "crash-group");
    await page.getByRole("button", { name: "Resolve", exact: true }).click();
    await seeText(page.getByTestId("group-status"), /Resolved/);
    // It stays resolved: the projection wrote it, not the page.
    await page.reload();
    await seeText(page.getByTestId("group-status"), /Resolved/);
    await ctx.close();
  }, 60_000);

  test("a share link opens the read-only dashboard without login (phone layout, dark theme)", async () => {
    if (!browser) return;
    const admin = await newContext();
    const page = await admin.newPage();
    await login(page);
    const res = await page.request.post(`${origin}/api/admin/projects/${encodeURIComponent("shop")}/shares`, { data: { name: "Public" } });
    expect(res.status()).toBe(201);
    const { url } = (await res.json()) as { url: string };
    await page.goto(`${origin}/settings`);
    await seeCount(page.getByText("Share links"), 1);
    await seeText(page.getByTestId("key-row"), "pk_shop_", "contains");
    await shot(page, "settings");
    await admin.close();

    const visitor = await newContext({ colorScheme: "dark", viewport: { width: 390, height: 844 } });
    const shared = await visitor.newPage();
    await shared.goto(`${origin}${new URL(url).pathname}`);
    await seeText(stat(shared, "visitors"), "5");
    await seeCount(shared.getByText("Read-only shared dashboard"), 1);
    await seeCount(shared.getByRole("link", { name: "Settings" }), 0);
    await seeCount(shared.getByRole("link", { name: "Crashes" }), 0);
    await until(async () => (await shared.getByTestId("panel-pages").locator(".ranked-row").count()) > 0, "the pages panel");
    await shot(shared, "share-phone-dark");
    await visitor.close();
  }, 60_000);

  test("logged out, the dashboard asks for a login and shows no data", async () => {
    if (!browser) return;
    const ctx = await newContext();
    const page = await ctx.newPage();
    await page.goto(`${origin}/sites/${SITE}`);
    await page.waitForURL(/\/login\?next=/);
    await seeCount(page.getByRole("heading", { name: "Log in" }), 1);
    await shot(page, "login");
    await ctx.close();
  }, 30_000);

  test("on a fresh install (no user) the first-run screen says how to create the admin", async () => {
    if (!browser) return;
    const fresh = await startTestApp();
    const app = buildApp(fresh.runtime.deps);
    app.listen({ port: 0, hostname: "127.0.0.1" });
    const freshOrigin = `http://127.0.0.1:${app.server!.port}`;
    try {
      const ctx = await browser.newContext({ userAgent: BROWSER_UA, locale: "en-US" });
      const page = await ctx.newPage();
      await page.goto(`${freshOrigin}/sites/${SITE}`);
      await page.waitForURL(`${freshOrigin}/setup`);
      await seeText(page.locator("h1"), "Welcome — create the first admin");
      await seeText(page.locator("main"), "bun run cli user create", "contains");
      await shot(page, "first-run");
      await ctx.close();
    } finally {
      await app.stop();
      await fresh.stop();
    }
  }, 60_000);

  test("no request left the server's origin", () => {
    if (!browser) return;
    expect(outside).toEqual([]);
  });
});
