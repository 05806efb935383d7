/**
 * The opt-in /snippet.vitals.js on a page of another origin: the page's LCP, FCP, TTFB and INP
 * reach web_vitals when the SPA leaves the page. Its size is checked too (the base snippet's
 * budget is untouched; the add-on is a separate download).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { sizes, VITALS_DIST } from "../../snippet/build.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { BROWSER_UA, chromiumAvailable, launchChromium } from "../support/browser.ts";
import { until } from "../support/wait.ts";

const run = chromiumAvailable() || process.env.REQUIRE_CHROMIUM === "1";
let t: TestApp;
let browser: Browser | null;
let api: string;
let site: ReturnType<typeof Bun.serve>;

beforeAll(async () => {
  if (!run) return;
  t = await startTestApp();
  t.app.listen({ port: 0, hostname: "127.0.0.1" });
  api = `http://127.0.0.1:${t.app.server!.port}`;
  site = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      if (new URL(req.url).pathname === "/favicon.ico") return new Response(null, { status: 204 });
      return new Response(
        `<!doctype html><html><head><meta charset="utf-8"><title>Vitals</title>
<script async src="${api}/snippet.vitals.js" data-site="vitals-e2e.example" data-allow-localhost></script></head>
<body><h1>A page with a large heading to paint</h1><p>Some text.</p>
<button id="slow">slow button</button>
<script>document.getElementById("slow").addEventListener("click", () => { const end = performance.now() + 120; while (performance.now() < end); document.querySelector("p").textContent = "clicked"; });</script>
</body></html>`,
        { headers: { "content-type": "text/html; charset=utf-8" } },
      );
    },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  if (!run) return;
  await browser?.close();
  site?.stop(true);
  await t.app.stop(true);
  await t.stop();
});

describe.skipIf(!run)("the Web Vitals add-on", () => {
  test("is a separate file under 1 KiB gzipped, served with CORS", async () => {
    const code = await Bun.file(VITALS_DIST).text();
    expect(sizes(code).gzipBytes).toBeLessThanOrEqual(1024);
    const res = await fetch(`${api}/snippet.vitals.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await res.text()).toBe(code);
  });

  test("LCP, FCP, TTFB and INP of a page reach web_vitals when the SPA moves on", async () => {
    const ctx = await browser!.newContext({ userAgent: BROWSER_UA });
    const p = await ctx.newPage();
    await p.goto(`http://127.0.0.1:${site.port}/vitals/home`);
    await p.waitForFunction(() => performance.getEntriesByType("paint").length > 0);
    await p.click("#slow");
    // Let the event-timing entry be observed before the SPA navigation sends the page's numbers.
    await p.waitForFunction(
      () => performance.getEntriesByType("event").some((e) => ((e as unknown as { interactionId?: number }).interactionId ?? 0) > 0) || document.readyState === "complete",
    );
    await p.evaluate(() => new Promise((r) => setTimeout(r, 50)));
    await p.evaluate(() => history.pushState({}, "", "/vitals/next"));
    const [row] = await until(
      async () => {
        const r = await t.sql`select * from web_vitals where site = 'vitals-e2e.example' and pathname = '/vitals/home'`.catch(() => []);
        return r.length > 0 ? r : null;
      },
      "a web_vitals row",
      20_000,
    );
    expect(row!.ttfb).toBeGreaterThanOrEqual(0);
    expect(row!.fcp).toBeGreaterThan(0);
    expect(row!.lcp).toBeGreaterThan(0);
    expect(row!.inp).toBeGreaterThanOrEqual(100);
    expect(row!.browser).toBe("Chrome");
    await ctx.close();
  }, 60_000);
});
