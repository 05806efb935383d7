/**
 * The dashboard's Feedback tab in real Chromium against the real app: feedback arrives through the
 * Oasis SDK route and POST /api/feedback, an admin logs in, reads it, filters by status, changes a
 * status and adds a note; the database and a reload agree. Screenshots land in
 * test/artifacts/dashboard/ (not committed).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import type { Browser, Locator, Page } from "playwright-core";
import { buildApp } from "../../src/app.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { BROWSER_UA, launchChromium } from "../support/browser.ts";
import { until } from "../support/wait.ts";

const SITE = "desk.test";
const EMAIL = "team@desk.test";
const PASSWORD = "a long enough passphrase";
const SHOTS = "test/artifacts/dashboard";

let t: TestApp;
let origin: string;
let browser: Browser | null;
const outside: string[] = [];

async function seeText(loc: Locator, want: string | RegExp) {
  let last: string | null = null;
  await until(
    async () => {
      last = ((await loc.first().textContent({ timeout: 500 })) ?? "").trim();
      return typeof want === "string" ? last === want : want.test(last);
    },
    `text ${String(want)}`,
  ).catch((err: Error) => {
    throw new Error(`${err.message} (last text: ${JSON.stringify(last)})`);
  });
}
async function seeCount(loc: Locator, want: number) {
  let last = -1;
  await until(async () => (last = await loc.count()) === want, `${want} element(s)`).catch((err: Error) => {
    throw new Error(`${err.message} (last count: ${last})`);
  });
}
const item = (page: Page, message: string) => page.getByTestId("feedback-item").filter({ hasText: message });

beforeAll(async () => {
  browser = await launchChromium();
  if (!browser) return;
  mkdirSync(SHOTS, { recursive: true });
  t = await startTestApp({ env: { ADMIN_EMAIL: EMAIL, ADMIN_PASSWORD: PASSWORD } });
  const app = buildApp(t.runtime.deps);
  app.listen({ port: 0, hostname: "127.0.0.1" });
  origin = `http://127.0.0.1:${app.server!.port}`;
  const login = await t.app.handle(
    new Request("http://localhost/api/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) }),
  );
  const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  const created = await t.app.handle(
    new Request("http://localhost/api/admin/projects", {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ name: "Desk", slug: "desk", domains: [SITE] }),
    }),
  );
  expect(created.status).toBe(201);
  const { key } = await created.json();
  const oasis = [
    { category: "bug", message: "Export to PDF crashes on large documents", email: "sam@example.com", appVersion: "2.1.0", platform: "darwin-aarch64", osVersion: "macOS 14.2" },
    { category: "feature", message: "Please add a dark theme", appVersion: "2.1.0", platform: "windows-x86_64", osVersion: "Windows 11" },
  ];
  for (const body of oasis) expect((await t.post("/sdk/desk/feedback", body, { headers: { "x-api-key": key } })).status).toBe(200);
  const web = await t.post("/api/feedback", { site: SITE, category: "general", message: "Love the new sidebar", url: `https://${SITE}/settings?tab=1` });
  expect(web.status).toBe(202);
  await t.waitForRows("feedback", 3);
}, 120_000);

afterAll(async () => {
  if (!browser) return;
  await browser.close();
  await t?.stop();
});

describe("dashboard feedback tab", () => {
  test("lists feedback with status and notes; filters by status; an admin changes a status and adds a note", async () => {
    if (!browser) return;
    const ctx = await browser.newContext({ userAgent: BROWSER_UA, locale: "en-US", colorScheme: "light", viewport: { width: 1280, height: 900 } });
    ctx.on("request", (r) => {
      const u = r.url();
      if (!u.startsWith(`${origin}/`) && !u.startsWith("data:") && !u.startsWith("blob:")) outside.push(u);
    });
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${origin}/`);
    await page.waitForURL(/\/login/);
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${origin}/`);

    await page.goto(`${origin}/sites/${SITE}?tab=feedback`);
    // Open feedback, newest first.
    await seeCount(page.getByTestId("feedback-item"), 3);
    await seeText(page.getByTestId("feedback-item").first().locator(".feedback-message"), "Love the new sidebar");
    await seeText(page.getByTestId("feedback-count"), "3 feedback");
    const pdf = item(page, "Export to PDF crashes");
    await seeText(pdf.getByTestId("feedback-status"), "Open");
    await seeText(pdf.locator(".muted").nth(1), /release 2\.1\.0 · darwin-aarch64 · macOS 14\.2 · sam@example\.com/);

    // A note, then a status change.
    await pdf.getByLabel("Internal note").fill("Reproduced with a 300-page file");
    await pdf.getByRole("button", { name: "Add note" }).click();
    await seeText(pdf.getByTestId("feedback-note"), /^team@desk\.test, .+: Reproduced with a 300-page file$/);
    await pdf.getByTestId("feedback-status-select").selectOption("in_progress");
    // Under the "Open" filter it leaves the list.
    await seeCount(page.getByTestId("feedback-item"), 2);
    await page.getByTestId("feedback-status-filter").selectOption("in_progress");
    await seeCount(page.getByTestId("feedback-item"), 1);
    await seeText(item(page, "Export to PDF crashes").getByTestId("feedback-status"), "In progress");
    await seeText(item(page, "Export to PDF crashes").getByTestId("feedback-note"), /Reproduced with a 300-page file$/);

    // Stored as the team saw it, and a reload shows the same.
    const [row] = await t.sql`select id, status from feedback where message like 'Export to PDF%'`;
    expect(row!.status).toBe("in_progress");
    expect((await t.sql`select body from feedback_notes where feedback_id = ${row!.id}`).map((n) => n.body)).toEqual(["Reproduced with a 300-page file"]);
    await page.getByTestId("feedback-status-filter").selectOption("all");
    await seeCount(page.getByTestId("feedback-item"), 3);
    await page.screenshot({ path: `${SHOTS}/feedback.png`, fullPage: true });
    // After a reload the filter is back to "Open": the two untouched ones.
    await page.reload();
    await seeCount(page.getByTestId("feedback-item"), 2);
    await page.getByTestId("feedback-status-filter").selectOption("closed");
    await seeText(page.locator(".empty"), "No feedback matches these filters.");

    // Deleting asks first; cancelling keeps it, confirming removes it for good.
    const theme = item(page, "Please add a dark theme");
    await page.getByTestId("feedback-status-filter").selectOption("open");
    page.once("dialog", (d) => void d.dismiss());
    await theme.getByRole("button", { name: "Delete" }).click();
    await seeCount(page.getByTestId("feedback-item"), 2);
    page.once("dialog", (d) => void d.accept());
    await theme.getByRole("button", { name: "Delete" }).click();
    await seeCount(page.getByTestId("feedback-item"), 1);
    expect(await t.sql`select 1 from feedback where message = 'Please add a dark theme'`).toHaveLength(0);

    // Dark theme and a phone: the same list, readable.
    const phone = await browser.newContext({ userAgent: BROWSER_UA, locale: "en-US", colorScheme: "dark", viewport: { width: 390, height: 844 } });
    await phone.addCookies((await ctx.cookies()).map((c) => ({ ...c })));
    const mobile = await phone.newPage();
    await mobile.goto(`${origin}/sites/${SITE}?tab=feedback`);
    await seeCount(mobile.getByTestId("feedback-item"), 1);
    await mobile.screenshot({ path: `${SHOTS}/feedback-phone-dark.png`, fullPage: true });
    await phone.close();

    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await ctx.close();
  }, 120_000);
});
