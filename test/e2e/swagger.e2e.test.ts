/**
 * /swagger in real headless Chromium with every request off loopback blocked and recorded: the
 * page must render the API's operations from the app's own assets, and nothing may leave the
 * machine. SWAGGER_SCREENSHOT=<file.png> saves what the page looks like.
 *
 * Skipped with a notice when Chromium is missing (fails if REQUIRE_CHROMIUM=1).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startTestApp, type TestApp } from "../support/app.ts";
import { BROWSER_UA, chromiumAvailable, launchChromium } from "../support/browser.ts";
import { listenApi, until } from "./harness.ts";

const available = chromiumAvailable() || process.env.REQUIRE_CHROMIUM === "1";
setDefaultTimeout(30_000);

let t: TestApp;
let api: ReturnType<typeof listenApi>;
let browser: Browser | null = null;

beforeAll(async () => {
  if (!available) {
    await launchChromium(); // prints the [skip] notice once
    return;
  }
  t = await startTestApp({ delivery: false });
  api = listenApi(t);
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await api?.app.stop(true);
  await t?.stop();
}, 30_000);

const isLoopback = (url: string) => {
  const u = new URL(url);
  if (u.protocol === "data:" || u.protocol === "blob:" || u.protocol === "about:") return true;
  return u.hostname === "localhost" || u.hostname === "[::1]" || /^127\./.test(u.hostname);
};

describe.skipIf(!available)("/swagger offline (Chromium)", () => {
  test("renders every operation from the app's own assets; no request leaves loopback", async () => {
    const ctx = await browser!.newContext({ userAgent: BROWSER_UA });
    try {
      const offLoopback: string[] = [];
      const served: string[] = [];
      const failed: string[] = [];
      // Routing sees every request the page makes (documents, scripts, styles, fetches, images).
      await ctx.route("**/*", (route) => {
        const url = route.request().url();
        if (isLoopback(url)) return route.continue();
        offLoopback.push(url);
        return route.abort("blockedbyclient");
      });
      const page = await ctx.newPage();
      const errors: string[] = [];
      const violations: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => {
        if (m.type() === "error" && /Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      page.on("response", (r) => served.push(`${r.status()} ${new URL(r.url()).pathname}`));
      page.on("requestfailed", (r) => failed.push(r.url()));

      await page.goto(`${api.origin}/swagger`, { waitUntil: "load" });
      const paths = ["/api/pageview", "/api/event", "/api/crash", "/api/transformer", "/healthz", "/metrics", "/snippet.js"];
      await until(async () => (await page.locator(".opblock").count()) >= paths.length, "Swagger UI to render the operations");
      const rendered = await page.locator(".opblock-summary-path").allInnerTexts();
      for (const p of paths) expect(rendered.map((s) => s.replace(/\u200b/g, ""))).toContain(p);
      await expect(page.locator(".info .title").innerText()).resolves.toContain("Private analytics API");

      if (process.env.SWAGGER_SCREENSHOT) await page.screenshot({ path: process.env.SWAGGER_SCREENSHOT });

      // Open one operation: its error responses are listed from the document.
      await page.locator(".opblock-summary-path", { hasText: "/api/pageview" }).first().click();
      await until(async () => (await page.locator(".responses-table .response-col_status").count()) > 0, "the responses table");
      const statuses = (await page.locator(".responses-table .response-col_status").allInnerTexts()).map((s) => s.trim());
      expect(statuses).toEqual(expect.arrayContaining(["202", "413", "422", "429", "503"]));

      expect(offLoopback).toEqual([]);
      expect(failed).toEqual([]);
      expect(errors).toEqual([]);
      expect(violations).toEqual([]);
      expect(served).toEqual(
        expect.arrayContaining(["200 /swagger", "200 /swagger/assets/swagger-ui.css", "200 /swagger/assets/swagger-ui-bundle.js", "200 /swagger/init.js", "200 /swagger/json"]),
      );
    } finally {
      await ctx.close();
    }
  });
});
