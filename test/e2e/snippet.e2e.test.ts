/**
 * The trackEvent snippet against the REAL API, in real headless Chromium: the app listens on
 * 127.0.0.1 (delivery loop on), test pages come from a site server on another port (another
 * origin) and load `<api>/snippet.js`; assertions are on rows in the projection tables.
 *
 * Skipped with a notice when Chromium is missing (fails if REQUIRE_CHROMIUM=1).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startTestApp, type TestApp } from "../support/app.ts";
import { chromiumAvailable, launchChromium } from "../support/browser.ts";
import { barrier, listenApi, openPage, rowsUnder, startSiteServer, until, type OpenPage, type PageOptions } from "./harness.ts";

const available = chromiumAvailable() || process.env.REQUIRE_CHROMIUM === "1";

// A browser test waits on conditions with 10 s deadlines; bun's 5 s default (bunfig's [test]
// timeout is not applied) would fail it first and kill Chromium for the rest of the file.
setDefaultTimeout(30_000);

let t: TestApp;
let api: ReturnType<typeof listenApi>;
let site: ReturnType<typeof startSiteServer>;
let browser: Browser | null = null;
let downApi = ""; // a second listener on the same runtime, stopped by the "API down" test
let servedCode = "";

/** Page options by the first path segment, so each test owns its pathnames. */
function optionsFor(path: string): PageOptions {
  const scenario = path.split("/")[1];
  const o: PageOptions = { api: api.origin };
  if (scenario === "ev") o.queued = `trackEvent("signup", { plan: "pro", via: "stub" })`;
  if (scenario === "lh") o.allowLocalhost = false;
  if (scenario === "inline") o.inlineCode = servedCode;
  if (scenario === "down" || scenario === "down-load") {
    o.api = downApi;
    o.queued = `trackEvent("queued_while_down")`;
  }
  return o;
}

const at = (path: string, host = "127.0.0.1") => `http://${host}:${site.port}${path}`;
const open = (path: string, init?: { optOut?: boolean; host?: string; api?: string }) => openPage(browser!, at(path, init?.host), init?.api ?? api.origin, init);
const count = async (table: "pageviews" | "custom_events" | "crashes", prefix: string) => (await rowsUnder(t, table, prefix)).length;

async function closing(o: OpenPage, body: () => Promise<void>) {
  try {
    await body();
  } finally {
    await o.ctx.close();
  }
}

beforeAll(async () => {
  if (!available) {
    await launchChromium(); // prints the [skip] notice once
    return;
  }
  t = await startTestApp();
  api = listenApi(t);
  site = startSiteServer(optionsFor);
  servedCode = await (await fetch(api.origin + "/snippet.js")).text();
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  site?.stop(true);
  await api?.app.stop(true);
  await t?.stop();
}, 30_000);

describe.skipIf(!available)("snippet → real API → tables (Chromium)", () => {
  test("load, pushState and popstate each record one page view for the page's host", async () => {
    const o = await open("/pv/a");
    await closing(o, async () => {
      await until(async () => (await count("pageviews", "/pv/")) === 1, "the load page view");
      await o.page.evaluate(() => history.pushState({}, "", "/pv/b"));
      await until(async () => (await count("pageviews", "/pv/")) === 2, "the pushState page view");
      await o.page.evaluate(() => history.back());
      await until(async () => (await count("pageviews", "/pv/")) === 3, "the popstate page view");
      await o.page.evaluate(() => history.replaceState({}, "", "/pv/a?tab=2")); // same path: no page view
      await barrier(t, o, api.origin);

      const rows = await rowsUnder(t, "pageviews", "/pv/");
      expect(rows.map((r) => r.pathname)).toEqual(["/pv/a", "/pv/b", "/pv/a"]);
      expect(rows.map((r) => r.site)).toEqual(["127.0.0.1", "127.0.0.1", "127.0.0.1"]);
      expect(rows[0]!.url).toBe(at("/pv/a"));
      expect(rows[0]!.browser).toBe("Chrome");
      expect(o.sent).toEqual(["/api/pageview", "/api/pageview", "/api/pageview"]);
      expect(o.pageErrors).toEqual([]);
    });
  });

  test("trackEvent lands in custom_events with its props, including a call queued by the stub", async () => {
    const o = await open("/ev/pricing");
    await closing(o, async () => {
      await o.page.evaluate(() => {
        const w = window as unknown as { trackEvent: (n: string, p?: Record<string, unknown>) => void };
        w.trackEvent("signup", { plan: "pro" });
        w.trackEvent("video_play", { video: "intro", duration: 120, autoplay: false });
      });
      await until(async () => (await count("custom_events", "/ev/")) === 3, "three custom events");
      await barrier(t, o, api.origin);

      const rows = await rowsUnder(t, "custom_events", "/ev/");
      const byProps = (name: string) => rows.filter((r) => r.event_name === name).map((r) => r.properties);
      expect(byProps("signup")).toContainEqual({ plan: "pro", via: "stub" }); // queued before load
      expect(byProps("signup")).toContainEqual({ plan: "pro" });
      expect(byProps("video_play")).toEqual([{ video: "intro", duration: 120, autoplay: false }]);
      expect(rows.every((r) => r.site === "127.0.0.1" && r.pathname === "/ev/pricing")).toBe(true);
      expect(await count("pageviews", "/ev/")).toBe(1);
      expect(o.pageErrors).toEqual([]);
    });
  });

  test("thrown errors and unhandled rejections land in crashes with parsed frames; duplicates once", async () => {
    const o = await open("/crash/page");
    await closing(o, async () => {
      await until(async () => (await count("pageviews", "/crash/")) === 1, "the page view");
      const call = (fn: string, arg: string) => o.page.evaluate(([f, a]) => (window as unknown as Record<string, (x: string) => void>)[f!]!(a!), [fn, arg]);
      await call("crashLater", "boom");
      await call("rejectLater", "nope");
      await call("rejectPlain", "plain reason");
      await call("crashLater", "dup");
      await call("crashLater", "dup");
      await until(() => o.pageErrors.length === 5, "the five exceptions to surface in the page");
      await until(async () => (await count("crashes", "/crash/")) >= 4, "four crash rows");
      await barrier(t, o, api.origin);

      const rows = await rowsUnder(t, "crashes", "/crash/");
      const find = (message: string) => rows.filter((r) => r.message === message);
      expect(rows).toHaveLength(4);
      expect(find("dup")).toHaveLength(1); // the same error twice is sent once
      expect(o.sent.filter((p) => p === "/api/crash")).toHaveLength(4);

      const boom = find("boom")[0]!;
      expect(boom.error_type).toBe("TypeError");
      expect(boom.site).toBe("127.0.0.1");
      expect(boom.frames).toContainEqual(expect.objectContaining({ file: at("/app.js"), function: "explode", line: 2 }));
      expect(boom.frames).toContainEqual(expect.objectContaining({ file: at("/app.js"), function: "onTimer", line: 5 }));

      const nope = find("nope")[0]!;
      expect(nope.error_type).toBe("RangeError");
      expect(nope.frames).toContainEqual(expect.objectContaining({ file: at("/app.js"), function: "rejectLater", line: 8 }));

      const plain = find("plain reason")[0]!;
      expect(plain.error_type).toBe("UnhandledRejection");
      expect(plain.frames).toEqual([]);

      const groups = await t.sql`select g.id from crash_groups g join crashes c on c.group_id = g.id where c.pathname like '/crash/%'`;
      expect(groups).toHaveLength(4);
    });
  });

  test("the inline copy-paste version (code in <script data-api=…>) records page views and events", async () => {
    const o = await open("/inline/a");
    await closing(o, async () => {
      await o.page.evaluate(() => (window as unknown as { trackEvent: (n: string) => void }).trackEvent("inline_ok"));
      await until(async () => (await count("custom_events", "/inline/")) === 1, "the inline event");
      await barrier(t, o, api.origin);
      const [pv] = await rowsUnder(t, "pageviews", "/inline/");
      expect(pv).toMatchObject({ pathname: "/inline/a", site: "127.0.0.1" });
      expect(await count("pageviews", "/inline/")).toBe(1);
      expect(o.pageErrors).toEqual([]);
    });
  });

  /** Tracks an event, navigates and throws on a page that must send nothing; then proves nothing was sent. */
  async function expectNothingSent(o: Awaited<ReturnType<typeof open>>, prefix: string) {
    await o.page.evaluate((next) => {
      (window as unknown as { trackEvent: (n: string) => void }).trackEvent("signup");
      history.pushState({}, "", next);
      (window as unknown as { crashLater: (m: string) => void }).crashLater("ignored");
    }, `${prefix}b`);
    await until(() => o.pageErrors.length === 1, "the page's own error");
    await barrier(t, o, api.origin);
    expect(o.sent).toEqual([]);
    for (const table of ["pageviews", "custom_events", "crashes"] as const) expect(await count(table, prefix)).toBe(0);
  }

  test("opt-out flag set → nothing is sent", async () => {
    const o = await open("/optout/a", { optOut: true });
    await closing(o, async () => {
      await expectNothingSent(o, "/optout/");
    });
  });

  test("on localhost without data-allow-localhost nothing is sent; with it, it is", async () => {
    const o = await open("/lh/a", { host: "localhost" });
    await closing(o, async () => {
      expect(await o.page.evaluate(() => location.hostname)).toBe("localhost");
      await expectNothingSent(o, "/lh/");
    });

    const allowed = await open("/lh-allowed/a", { host: "localhost" });
    await closing(allowed, async () => {
      await until(async () => (await count("pageviews", "/lh-allowed/")) === 1, "the allowed localhost page view");
      const [pv] = await rowsUnder(t, "pageviews", "/lh-allowed/");
      expect(pv!.site).toBe("localhost");
    });
  });

  test("API down: navigation, trackEvent and errors never raise an exception from the snippet", async () => {
    const down = listenApi(t, true);
    downApi = down.origin;
    const o = await open("/down/a", { api: downApi });
    await closing(o, async () => {
      await until(async () => (await count("custom_events", "/down/")) === 1, "the queued event while the API is up");
      await down.app.stop(true);
      await o.page.evaluate(() => {
        const w = window as unknown as Record<string, (m: string, p?: object) => void>;
        history.pushState({}, "", "/down/b");
        w.trackEvent!("signup", { plan: "pro" });
        w.crashLater!("deliberate error");
        w.rejectPlain!("deliberate rejection");
      });
      await until(() => o.pageErrors.length === 2, "the page's own two exceptions");
      await until(() => o.failed.length === 4, "the four sends to fail"); // page view, event, 2 crashes
      expect(await o.page.evaluate(() => 1 + 1)).toBe(2);
      expect(o.pageErrors.every((m) => m.includes("deliberate"))).toBe(true);
    });

    // Loaded while the API is down: /snippet.js fails to load, the stub keeps queueing, no exception.
    const later = await open("/down-load/a", { api: downApi });
    await closing(later, async () => {
      const state = await later.page.evaluate(() => {
        const w = window as unknown as { trackEvent: ((n: string) => void) & { q?: unknown[] } };
        w.trackEvent("after_load");
        return { type: typeof w.trackEvent, queued: w.trackEvent.q?.length };
      });
      expect(state).toEqual({ type: "function", queued: 2 });
      expect(later.pageErrors).toEqual([]);
    });
  });
});
