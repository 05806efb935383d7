/**
 * The REAL @sentry/browser SDK (bundled with `bun build`) in headless Chromium, on a page served
 * from another origin than the API: exception, message, uncaught error, unhandled rejection,
 * beforeSend drop, the SDK's session and its client report. Every request the SDK made is
 * answered with a 2xx, each item lands or is discarded as specified, and no stored row holds a
 * never-stored field.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { listenApi } from "../e2e/harness.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { BROWSER_UA, chromiumAvailable, launchChromium } from "../support/browser.ts";
import { until } from "../support/wait.ts";
import { dumpAllTables, makeProject, type TestProject } from "./helpers.ts";

setDefaultTimeout(60_000);
const available = chromiumAvailable() || process.env.REQUIRE_CHROMIUM === "1";

let t: TestApp;
let api: ReturnType<typeof listenApi>;
let project: TestProject;
let browser: Browser | null = null;
let site: ReturnType<typeof Bun.serve>;
let bundle = "";

const APP_JS = `function parseOrder(order) { return order.items.map(function (i) { return i.price; }); }
function checkout(order) { return parseOrder(order); }
window.handled = function () { try { checkout({}); } catch (e) { Sentry.captureException(e); } };
window.uncaught = function () { setTimeout(function onTimer() { checkout({ items: null }); }); };
window.rejection = function () { setTimeout(function later() { Promise.reject(new RangeError("browser rejection from proof")); }); };
`;

const page = (dsn: string) => `<!doctype html><html><head><meta charset="utf-8"><title>shop</title>
<script src="/sentry.js"></script>
<script>
Sentry.init({
  dsn: ${JSON.stringify(dsn)},
  release: "web@1.0.0",
  environment: "proof",
  sendDefaultPii: true,
  beforeSend: function (event) { return event.message === "drop me in beforeSend" ? null : event; },
});
Sentry.setUser({ id: "user-8842", email: "dana@example.com", username: "dana_k", ip_address: "{{auto}}" });
Sentry.addBreadcrumb({ category: "auth", message: "login dana@example.com", level: "info" });
</script>
<script src="/app.js"></script>
</head><body><p>shop</p></body></html>`;

beforeAll(async () => {
  if (!available) {
    await launchChromium();
    return;
  }
  const built = await Bun.build({ entrypoints: [join(import.meta.dir, "clients", "browser-entry.ts")], target: "browser", minify: true });
  if (!built.success) throw new Error(`bun build @sentry/browser failed: ${built.logs.join("\n")}`);
  bundle = await built.outputs[0]!.text();
  t = await startTestApp();
  api = listenApi(t);
  // A one-word name: keys are pk_<slug>_<hex>, and Sentry SDKs refuse a DSN whose key has a "-"
  // (their DSN pattern is \w+), so a hyphenated slug such as "node-app" gives an unusable DSN.
  project = await makeProject(t, "Webshop", ["shop.example.com"]);
  site = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const { pathname } = new URL(req.url);
      if (pathname === "/sentry.js") return new Response(bundle, { headers: { "content-type": "text/javascript" } });
      if (pathname === "/app.js") return new Response(APP_JS, { headers: { "content-type": "text/javascript" } });
      if (pathname === "/favicon.ico") return new Response(null, { status: 204 });
      return new Response(page(project.dsn(new URL(api.origin).host)), { headers: { "content-type": "text/html; charset=utf-8" } });
    },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  site?.stop(true);
  await api?.app.stop();
  await t?.stop();
});

describe.skipIf(!available)("@sentry/browser 11.12.0 in Chromium, from another origin", () => {
  test("everything lands or is discarded as specified; every SDK request gets a 2xx; nothing never-stored is kept", async () => {
    const ctx = await browser!.newContext({ userAgent: BROWSER_UA });
    const p: Page = await ctx.newPage();
    const answered: { url: string; status: number }[] = [];
    const failed: string[] = [];

    p.on("response", (r) => {
      if (!r.url().startsWith(api.origin)) return;
      answered.push({ url: r.url(), status: r.status() });
    });
    p.on("requestfailed", (r) => r.url().startsWith(api.origin) && failed.push(`${r.url()} ${r.failure()?.errorText}`));
    try {
      await p.goto(`http://127.0.0.1:${site.port}/cart/checkout?token=SECRET123`, { waitUntil: "load" });
      expect(new URL(api.origin).port).not.toBe(String(site.port)); // another origin
      await p.evaluate(() => {
        const w = window as unknown as Record<string, () => void> & { Sentry: { captureMessage(m: string, l?: string): void } };
        w.handled!();
        w.Sentry.captureMessage("browser message from proof", "info");
        w.Sentry.captureMessage("drop me in beforeSend", "error");
        w.uncaught!();
        w.rejection!();
      });
      const crashes = async () =>
        t.sql`select error_type, message, severity, release, environment, platform, site, pathname, frames, context from crashes where release = 'web@1.0.0'`;
      const rows = (await until(async () => {
        const r = await crashes();
        return r.length >= 4 ? r : null;
      }, "four crashes from the page").catch(async (e) => {
        throw new Error(`${e}; crashes so far: ${JSON.stringify(await t.sql`select error_type, message from crashes`)}; responses: ${JSON.stringify(answered)}`);
      }))!;
      // The client report (the beforeSend drop) goes out when the page is hidden.
      await p.evaluate(() => {
        Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
        document.dispatchEvent(new Event("visibilitychange"));
      });
      const metric = () => t.runtime.deps.metrics.registry.getSingleMetricAsString("analytics_sentry_items_total");
      await until(async () => /type="client_report",outcome="discarded"\} [1-9]/.test(await metric()), "the client report");
      await until(async () => answered.length > 0 && (await t.sql`select 1 from release_health where release = 'web@1.0.0' and started >= 1`).length === 1, "the session");

      expect(failed).toEqual([]);
      expect(answered.length).toBeGreaterThanOrEqual(6);
      for (const a of answered) expect(a.status, a.url).toBeOneOf([200, 204]);

      const handled = rows.find((r) => r.error_type === "TypeError" && r.context?.mechanism?.handled !== false)!;
      expect(handled).toMatchObject({ severity: "error", platform: "javascript", environment: "proof", pathname: "/cart/checkout" });
      expect(handled.frames[0].function).toBe("parseOrder");
      expect(handled.frames[0].inApp).toBe(true);
      const uncaught = rows.find((r) => r.error_type === "TypeError" && r.context?.mechanism?.handled === false)!;
      expect(uncaught.frames.map((f: { function: string }) => f.function)).toContain("onTimer");
      expect(rows.find((r) => r.error_type === "RangeError")).toMatchObject({ message: "browser rejection from proof" });
      expect(rows.find((r) => r.error_type === "Message")).toMatchObject({ message: "browser message from proof", severity: "warning" });
      expect(rows.some((r) => r.message.includes("drop me"))).toBe(false);
      // The page's host is not one of the project's domains, so the project's own site is used.
      expect(new Set(rows.map((r) => r.site))).toEqual(new Set(["shop.example.com"]));
      const [rh] = await t.sql`select sum(started)::int as started, sum(errored)::int as errored, sum(crashed)::int as crashed from release_health where release = 'web@1.0.0'`;
      expect(rh).toMatchObject({ started: 1, errored: 1 });

      const dump = await dumpAllTables(t.sql);
      for (const marker of [
        "user-8842",
        "dana@example.com",
        "dana_k",
        "SECRET123",
        BROWSER_UA,
        "HeadlessChrome",
        "ip_address",
        "user_agent",
        '"headers"',
        "pre_context",
        '"modules"',
      ]) {
        expect(dump).not.toContain(marker);
      }
    } finally {
      await ctx.close();
    }
  });
});
