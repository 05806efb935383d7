/**
 * Standalone proof of the trackEvent snippet's behaviour in real Chromium —
 * no real API: a "site" server serves test pages, a recording server (other
 * origin) serves the freshly built snippet and records POST /api/* bodies.
 *
 * Skipped with a notice when Chromium is missing (fails if REQUIRE_CHROMIUM=1).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { until } from "../support/wait.ts";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { buildSnippet } from "../../snippet/build.ts";
import { BROWSER_UA, chromiumAvailable, launchChromium } from "../support/browser.ts";

/** The documented queue stub, placed before the snippet's script tag. */
const STUB = "window.trackEvent=window.trackEvent||function(){(window.trackEvent.q=window.trackEvent.q||[]).push(arguments)}";

interface Rec {
  path: string;
  contentType: string;
  body: any;
}

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, GET, OPTIONS",
  "Access-Control-Allow-Headers": "*",
};

let code = "";
let browser: Browser | null = null;
let recorder: ReturnType<typeof Bun.serve>;
let site: ReturnType<typeof Bun.serve>;
let deadApi = "";
const records: Rec[] = [];

const waitFor = <T>(fn: () => T | Promise<T>, timeoutMs = 5000, what = "condition") => until(fn, what, timeoutMs, 10);

const recOrigin = () => `http://127.0.0.1:${recorder.port}`;
const bySite = (s: string, path?: string) => records.filter((r) => r.body?.site === s && r.path.startsWith("/api/") && (!path || r.path === path));
const pageviews = (s: string) => bySite(s, "/api/pageview").map((r) => r.body);
const events = (s: string) => bySite(s, "/api/event").map((r) => r.body);
const crashes = (s: string) => bySite(s, "/api/crash").map((r) => r.body);

let siteSeq = 0;
const newSite = (name: string) => `${name}-${++siteSeq}-${Date.now()}`;

function pageHtml(q: URLSearchParams): string {
  const attrs: string[] = [];
  if (q.get("site")) attrs.push(`data-site="${q.get("site")}"`);
  if (q.get("allow") !== "0") attrs.push("data-allow-localhost");
  if (q.get("hash") === "1") attrs.push("data-hash");
  if (q.get("api")) attrs.push(`data-api="${q.get("api")}"`);
  const src = q.get("self") === "1" ? "/snippet.js" : `${recOrigin()}/snippet.js`;
  const queued = q.get("queue") === "1" ? `<script>trackEvent("queued-1",{n:1});trackEvent("queued-2",{ok:true,s:"x"})</script>` : "";
  return `<!doctype html><html><head><meta charset="utf-8"><title>snippet test</title>
<script>${STUB}</script>${queued}
<script>window.boom=function(){throw new Error("dup")}</script>
<script async src="${src}" ${attrs.join(" ")}></script>
</head><body><p>test page</p><a id="anchor" href="#sec">anchor</a></body></html>`;
}

/** Records every snippet send attempt (deterministic, synchronous) and settles of fetch fallbacks. */
const INSTRUMENT = `(() => {
  window.__sends = []; window.__settled = 0;
  const nav = Navigator.prototype;
  if (window.__noBeacon) { Object.defineProperty(nav, "sendBeacon", { value: undefined, configurable: true }); }
  else {
    const sb = nav.sendBeacon;
    nav.sendBeacon = function (u, d) { window.__sends.push("beacon " + new URL(u, location.href).pathname); return sb.call(this, u, d); };
  }
  const f = window.fetch;
  window.fetch = function (u, o) {
    const p = new URL(String(u), location.href).pathname;
    if (p.startsWith("/api/")) window.__sends.push("fetch " + p);
    const r = f.call(this, u, o);
    r.then(() => {}, () => {}).finally(() => { window.__settled++; });
    return r;
  };
})();`;

interface Opened {
  ctx: BrowserContext;
  page: Page;
  pageErrors: string[];
  consoleErrors: string[];
  /** URLs of failed requests, recorded from before navigation (a load-time beacon can fail fast). */
  failed: string[];
}

async function open(url: string, opts: { noBeacon?: boolean; optOut?: boolean; referer?: string } = {}): Promise<Opened> {
  const ctx = await browser!.newContext({ userAgent: BROWSER_UA });
  if (opts.noBeacon) await ctx.addInitScript("window.__noBeacon = true;");
  if (opts.optOut) {
    await ctx.addInitScript("try { localStorage.setItem('analytics_ignore', 'true'); } catch {}");
  }
  await ctx.addInitScript(INSTRUMENT);
  const page = await ctx.newPage();
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const failed: string[] = [];
  page.on("requestfailed", (r) => failed.push(r.url()));
  page.on("pageerror", (e) => pageErrors.push(String(e.message)));
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  await page.goto(url, { waitUntil: "load", referer: opts.referer });
  return { ctx, page, pageErrors, consoleErrors, failed };
}

const sends = (page: Page) => page.evaluate(() => (window as any).__sends as string[]);

/**
 * Barrier: a direct request from the page to the recorder, issued after the
 * actions under test; once it arrived, anything the snippet sent before it
 * has been dispatched too.
 */
async function barrier(page: Page, s: string): Promise<void> {
  const id = crypto.randomUUID();
  await page.evaluate(([u, b]) => fetch(u!, { method: "POST", body: b }).then(() => undefined), [`${recOrigin()}/barrier`, JSON.stringify({ site: s, id })]);
  await waitFor(() => records.some((r) => r.path === "/barrier" && r.body?.id === id), 5000, "barrier");
  // beacons share the connection pool; give in-flight ones the same round trip.
  await page.evaluate(([u, b]) => fetch(u!, { method: "POST", body: b }).then(() => undefined), [`${recOrigin()}/barrier`, JSON.stringify({ site: s, id: id + "-2" })]);
  await waitFor(() => records.some((r) => r.path === "/barrier" && r.body?.id === id + "-2"), 5000, "barrier 2");
}

const available = chromiumAvailable() || process.env.REQUIRE_CHROMIUM === "1";

// A browser test waits on conditions with 10 s deadlines; bun's 5 s default (bunfig's [test]
// timeout is not applied) would fail it first and kill Chromium for the rest of the file.
setDefaultTimeout(30_000);

beforeAll(async () => {
  if (!available) {
    await launchChromium(); // prints the [skip] notice once
    return;
  }
  code = await buildSnippet();
  recorder = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      if (req.method === "OPTIONS") return new Response(null, { status: 204, headers: CORS });
      if (req.method === "GET" && url.pathname === "/snippet.js") {
        return new Response(code, { headers: { ...CORS, "Content-Type": "application/javascript" } });
      }
      if (req.method === "POST") {
        const text = await req.text();
        let body: any = text;
        try {
          body = JSON.parse(text);
        } catch {}
        records.push({ path: url.pathname, contentType: req.headers.get("content-type") ?? "", body });
        return new Response(null, { status: 204, headers: CORS });
      }
      return new Response("not found", { status: 404, headers: CORS });
    },
  });
  site = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const url = new URL(req.url);
      if (url.pathname === "/snippet.js") {
        return new Response(code, { headers: { "Content-Type": "application/javascript" } });
      }
      if (url.pathname === "/favicon.ico") return new Response(null, { status: 204 });
      return new Response(pageHtml(url.searchParams), { headers: { "Content-Type": "text/html; charset=utf-8" } });
    },
  });
  // A recording server that has been stopped: its port refuses connections.
  const dead = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(null, { status: 204 }) });
  deadApi = `http://127.0.0.1:${dead.port}`;
  dead.stop(true);
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  recorder?.stop(true);
  site?.stop(true);
}, 30_000);

const siteUrl = (path: string, q: Record<string, string>, host = "127.0.0.1") => `http://${host}:${site.port}${path}?${new URLSearchParams(q)}`;

describe.skipIf(!available)("snippet in Chromium", () => {
  test("page load sends one small pageview; SPA navigation sends only on path change", async () => {
    const s = newSite("nav");
    const { ctx, page, pageErrors } = await open(siteUrl("/a", { site: s }), { referer: "https://ref.example/from" });
    try {
      await waitFor(() => pageviews(s).length === 1, 5000, "first pageview");
      const first = pageviews(s)[0];
      expect(first.pathname).toBe("/a");
      expect(first.url).toBe(siteUrl("/a", { site: s }));
      expect(first.referrer).toBe("https://ref.example/from");
      expect(first.site).toBe(s);
      expect(Object.keys(first).sort()).toEqual(["pathname", "referrer", "site", "url"]);
      const rec = bySite(s, "/api/pageview")[0]!;
      expect(rec.contentType).toStartWith("text/plain");

      await page.evaluate(() => history.pushState({}, "", "/b"));
      await waitFor(() => pageviews(s).length === 2, 5000, "pushState pageview");
      expect(pageviews(s)[1]).toEqual({ pathname: "/b", url: `http://127.0.0.1:${site.port}/b`, site: s });

      await page.evaluate(() => history.back());
      await waitFor(() => pageviews(s).length === 3, 5000, "popstate pageview");
      expect(pageviews(s)[2].pathname).toBe("/a");
      expect(pageviews(s)[2].referrer).toBeUndefined();

      // same path again (push, query-only change, in-page anchor): no duplicates
      await page.evaluate(() => history.pushState({}, "", "/a"));
      await page.evaluate(() => history.replaceState({}, "", "/a?x=1"));
      await page.click("#anchor");
      await barrier(page, s);
      expect(pageviews(s).length).toBe(3);

      await page.evaluate(() => history.replaceState({}, "", "/c"));
      await waitFor(() => pageviews(s).length === 4, 5000, "replaceState pageview");
      expect(pageviews(s)[3].pathname).toBe("/c");
      expect((await sends(page)).filter((x) => x.endsWith("/api/pageview")).length).toBe(4);
      expect(pageErrors).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  test("hash routes are opt-in via data-hash", async () => {
    const s = newSite("hash");
    const { ctx, page } = await open(siteUrl("/h", { site: s, hash: "1" }) + "#/one");
    try {
      await waitFor(() => pageviews(s).length === 1, 5000, "first pageview");
      expect(pageviews(s)[0].pathname).toBe("/h#/one");
      await page.evaluate(() => {
        location.hash = "#/two";
      });
      await waitFor(() => pageviews(s).length === 2, 5000, "hashchange pageview");
      expect(pageviews(s)[1].pathname).toBe("/h#/two");
      await barrier(page, s); // popstate + hashchange for one navigation → still one pageview
      expect(pageviews(s).length).toBe(2);
    } finally {
      await ctx.close();
    }
  });

  test("trackEvent sends events, replaying calls queued by the stub in order", async () => {
    const s = newSite("event");
    const { ctx, page, pageErrors } = await open(siteUrl("/shop", { site: s, queue: "1" }));
    try {
      await waitFor(() => events(s).length === 2, 5000, "queued events");
      const names = (await sends(page)).filter((x) => x !== "beacon /api/crash");
      expect(names).toEqual(["beacon /api/pageview", "beacon /api/event", "beacon /api/event"]);
      const queued = events(s).sort((a, b) => a.eventName.localeCompare(b.eventName));
      expect(queued).toEqual([
        { eventName: "queued-1", pathname: "/shop", customProperties: { n: 1 }, site: s },
        { eventName: "queued-2", pathname: "/shop", customProperties: { ok: true, s: "x" }, site: s },
      ]);
      expect(await page.evaluate(() => typeof (window as any).trackEvent.q)).toBe("undefined");

      await page.evaluate(() => (window as any).trackEvent("signup", { plan: "pro" }));
      await waitFor(() => events(s).some((e) => e.eventName === "signup"), 5000, "signup event");
      expect(events(s).find((e) => e.eventName === "signup")).toEqual({
        eventName: "signup",
        pathname: "/shop",
        customProperties: { plan: "pro" },
        site: s,
      });
      expect(bySite(s, "/api/event").every((r) => r.contentType.startsWith("text/plain"))).toBe(true);
      expect(pageErrors).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  test("uncaught errors and unhandled rejections are reported with stacks; duplicates once", async () => {
    const s = newSite("crash");
    const { ctx, page } = await open(siteUrl("/err", { site: s }));
    try {
      await waitFor(() => pageviews(s).length === 1, 5000, "pageview");
      await page.evaluate(() => {
        setTimeout(function thrower() {
          throw new TypeError("boom");
        });
      });
      await waitFor(() => crashes(s).some((c) => c.message === "boom"), 5000, "thrown error crash");
      const boom = crashes(s).find((c) => c.message === "boom");
      expect(boom.errorType).toBe("TypeError");
      expect(boom.pathname).toBe("/err");
      expect(boom.site).toBe(s);
      expect(boom.stack).toContain("TypeError: boom");
      expect(boom.stack).toContain("thrower");
      expect(Object.keys(boom).sort()).toEqual(["errorType", "message", "pathname", "site", "stack"]);

      await page.evaluate(() => {
        Promise.reject(new RangeError("nope"));
        Promise.reject("plain reason");
      });
      await waitFor(() => crashes(s).length === 3, 5000, "rejection crashes");
      const rej = crashes(s).find((c) => c.message === "nope");
      expect(rej.errorType).toBe("RangeError");
      expect(rej.stack).toContain("RangeError: nope");
      const plain = crashes(s).find((c) => c.message === "plain reason");
      expect(plain.errorType).toBe("UnhandledRejection");
      expect(plain.stack).toBe("");

      // identical error twice → one report
      await page.evaluate(() => {
        setTimeout((window as any).boom);
        setTimeout((window as any).boom);
      });
      await waitFor(() => crashes(s).some((c) => c.message === "dup"), 5000, "dup crash");
      await page.evaluate(() => setTimeout((window as any).boom));
      await barrier(page, s);
      expect(crashes(s).filter((c) => c.message === "dup").length).toBe(1);
      expect(crashes(s).find((c) => c.message === "dup").stack).toContain("Error: dup");
      expect((await sends(page)).filter((x) => x.endsWith("/api/crash")).length).toBe(4);
    } finally {
      await ctx.close();
    }
  });

  test("at most 10 crash reports per page load", async () => {
    const s = newSite("cap");
    const { ctx, page } = await open(siteUrl("/cap", { site: s }));
    try {
      await waitFor(() => pageviews(s).length === 1, 5000, "pageview");
      await page.evaluate(() => {
        for (let i = 0; i < 15; i++) {
          setTimeout(() => {
            throw new Error("distinct " + i);
          });
        }
      });
      await waitFor(() => crashes(s).length === 10, 5000, "10 crashes");
      await waitFor(async () => (await page.evaluate(() => 1)) === 1); // page still responsive
      await barrier(page, s);
      expect(crashes(s).length).toBe(10);
      expect((await sends(page)).filter((x) => x.endsWith("/api/crash")).length).toBe(10);
    } finally {
      await ctx.close();
    }
  });

  test("fetch fallback when sendBeacon is unavailable", async () => {
    const s = newSite("fetch");
    const { ctx, page, pageErrors } = await open(siteUrl("/f", { site: s }), { noBeacon: true });
    try {
      await waitFor(() => pageviews(s).length === 1, 5000, "pageview via fetch");
      await page.evaluate(() => (window as any).trackEvent("signup", { plan: "pro" }));
      await waitFor(() => events(s).length === 1, 5000, "event via fetch");
      expect(events(s)[0]).toEqual({ eventName: "signup", pathname: "/f", customProperties: { plan: "pro" }, site: s });
      expect(await sends(page)).toEqual(["fetch /api/pageview", "fetch /api/event"]);
      expect(bySite(s).every((r) => r.contentType.startsWith("text/plain"))).toBe(true);
      expect(pageErrors).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  test("opt-out flag localStorage.analytics_ignore = 'true' → nothing sent", async () => {
    const s = newSite("optout");
    const { ctx, page, pageErrors } = await open(siteUrl("/o", { site: s }), { optOut: true });
    try {
      expect(await page.evaluate(() => localStorage.getItem("analytics_ignore"))).toBe("true");
      await page.evaluate(() => {
        (window as any).trackEvent("signup", { plan: "pro" });
        history.pushState({}, "", "/o2");
        Promise.reject(new Error("ignored"));
      });
      await waitFor(() => pageErrors.length === 1, 5000, "the rejection to surface");
      await barrier(page, s);
      expect(bySite(s)).toEqual([]);
      expect(await sends(page)).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  test("localhost is ignored unless data-allow-localhost is present", async () => {
    const s = newSite("localhost");
    const { ctx, page, pageErrors } = await open(siteUrl("/l", { site: s, allow: "0" }, "localhost"));
    try {
      expect(await page.evaluate(() => location.hostname)).toBe("localhost");
      expect(await page.evaluate(() => typeof (window as any).trackEvent)).toBe("function");
      await page.evaluate(() => {
        (window as any).trackEvent("signup", { plan: "pro" });
        history.pushState({}, "", "/l2");
      });
      await barrier(page, s);
      expect(bySite(s)).toEqual([]);
      expect(await sends(page)).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await ctx.close();
    }
    // control: same host with the attribute does send
    const s2 = newSite("localhost-allowed");
    const allowed = await open(siteUrl("/l", { site: s2 }, "localhost"));
    try {
      await waitFor(() => pageviews(s2).length === 1, 5000, "allowed localhost pageview");
    } finally {
      await allowed.ctx.close();
    }
  });

  for (const noBeacon of [false, true]) {
    test(`recording server down → no exception in the page (${noBeacon ? "fetch" : "sendBeacon"})`, async () => {
      const s = newSite("down");
      const { ctx, page, pageErrors, consoleErrors, failed } = await open(siteUrl("/d", { site: s, self: "1", api: deadApi }), { noBeacon });
      try {
        await page.evaluate(() => {
          (window as any).trackEvent("signup", { plan: "pro" });
          history.pushState({}, "", "/d2");
          setTimeout(() => {
            throw new Error("deliberate");
          });
        });
        await waitFor(() => pageErrors.length >= 1, 5000, "deliberate error");
        const attempted = await sends(page);
        expect(attempted.length).toBe(4); // pageview, event, pageview, crash
        if (noBeacon) {
          await waitFor(() => page.evaluate(() => (window as any).__settled as number).then((n) => n >= 4), 10000, "fetches to settle");
        } else {
          await waitFor(() => failed.filter((u) => u.startsWith(deadApi)).length >= 4, 10000, "beacons to fail");
        }
        expect(await page.evaluate(() => 1 + 1)).toBe(2);
        expect(pageErrors).toEqual(["deliberate"]);
        // only the browser's own network log lines, nothing thrown/logged by the snippet
        expect(consoleErrors.filter((m) => !/Failed to load resource|net::ERR_/.test(m))).toEqual([]);
      } finally {
        await ctx.close();
      }
    });
  }
});
