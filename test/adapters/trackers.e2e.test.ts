/**
 * Plausible's published tracker (@plausible-analytics/tracker) and Umami's script, loaded from a
 * page on another origin, with only the endpoint changed: page view, SPA navigation, custom event.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { startTestApp, type TestApp } from "../support/app.ts";
import { BROWSER_UA, CHROMIUM_PATH, chromiumAvailable } from "../support/browser.ts";
import { until } from "../support/wait.ts";

const PLAUSIBLE_JS = fileURLToPath(import.meta.resolve("@plausible-analytics/tracker"));
const UMAMI_JS = fileURLToPath(new URL("./vendor/umami-tracker-2.10.0.js", import.meta.url));
const SITE = "shop.test";
const run = chromiumAvailable() || process.env.REQUIRE_CHROMIUM === "1";

let t: TestApp;
let browser: Browser;
let api: string;
let site: ReturnType<typeof Bun.serve>;

function page(body: string) {
  return new Response(`<!doctype html><html><head><meta charset="utf-8"><title>Shop</title></head><body><p>shop</p>${body}</body></html>`, {
    headers: { "content-type": "text/html; charset=utf-8" },
  });
}

beforeAll(async () => {
  if (!run) return;
  t = await startTestApp({ env: { CORS_ORIGINS: "*" } });
  t.app.listen({ port: 0, hostname: "127.0.0.1" });
  api = `http://127.0.0.1:${t.app.server!.port}`;
  site = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const { pathname } = new URL(req.url);
      if (pathname === "/plausible.js") return new Response(Bun.file(PLAUSIBLE_JS), { headers: { "content-type": "text/javascript" } });
      if (pathname === "/umami.js") return new Response(Bun.file(UMAMI_JS), { headers: { "content-type": "text/javascript" } });
      if (pathname === "/favicon.ico") return new Response(null, { status: 204 });
      if (pathname.startsWith("/plausible")) {
        // The package's documented use; the endpoint is the only change.
        return page(`<script type="module">
import { init, track } from "/plausible.js";
init({ domain: "${SITE}", endpoint: "${api}/api/event" });
window.signup = () => track("Signup", { props: { plan: "pro" } });
</script>`);
      }
      // Umami's documented tag, pointed at our API with its own data-host-url.
      return page(`<script defer src="/umami.js" data-website-id="2b0d5e5c-4c1f-4b8e-9d7a-1c2b3d4e5f60" data-host-url="${api}"></script>`);
    },
  });
  // shop.test resolves to the site server; automation flag off, as in a person's browser.
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
      `--host-resolver-rules=MAP ${SITE} 127.0.0.1`,
      "--disable-blink-features=AutomationControlled",
    ],
  });
});
afterAll(async () => {
  if (!run) return;
  await browser?.close();
  site?.stop(true);
  await t.app.stop(true);
  await t.stop();
});

const rows = (table: string, where: string) =>
  until(
    async () => {
      const r = await t.sql.unsafe(`select * from ${table} where site = '${SITE}' and ${where}`).catch(() => []);
      return r.length > 0 ? r : null;
    },
    `${table} where ${where}`,
    20_000,
  );

describe.skipIf(!run)("other trackers in Chromium", () => {
  test("Plausible's npm tracker: page view, SPA navigation, custom event", async () => {
    const ctx = await browser.newContext({ userAgent: BROWSER_UA });
    const p = await ctx.newPage();
    await p.goto(`http://${SITE}:${site.port}/plausible/home`);
    await rows("pageviews", "pathname = '/plausible/home'");
    await p.evaluate(() => history.pushState({}, "", "/plausible/pricing"));
    await rows("pageviews", "pathname = '/plausible/pricing'");
    await p.evaluate(() => (window as unknown as { signup(): void }).signup());
    const [ev] = await rows("custom_events", "event_name = 'Signup'");
    expect(ev!.properties).toEqual({ plan: "pro" });
    expect(ev!.pathname).toBe("/plausible/pricing");
    expect(ev!.browser).toBe("Chrome");
    await ctx.close();
  }, 60_000);

  test("Umami's script: page view, SPA navigation, custom event", async () => {
    const ctx = await browser.newContext({ userAgent: BROWSER_UA });
    const p = await ctx.newPage();
    await p.goto(`http://${SITE}:${site.port}/umami/home`);
    await rows("pageviews", "pathname = '/umami/home'");
    await p.evaluate(() => history.pushState({}, "", "/umami/pricing"));
    const [pv] = await rows("pageviews", "pathname = '/umami/pricing'");
    expect(pv!.referrer).toBeNull(); // the previous page of the same site is not a referrer
    await p.evaluate(() => (window as unknown as { umami: { track(n: string, d: object): Promise<unknown> } }).umami.track("signup", { plan: "pro" }));
    const [ev] = await rows("custom_events", "event_name = 'signup'");
    expect(ev!.properties).toEqual({ plan: "pro" });
    await ctx.close();
  }, 60_000);
});
