import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "../support/app.ts";
import { until } from "../support/wait.ts";
import { dumpAllTables } from "./dump.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { UMAMI_WEBSITES: "94db1cb1-74f4-4a40-ad6c-962362670409=umami-mapped.example" } });
});
afterAll(() => t.stop());

const rowsFor = (table: string, site: string, want: number) =>
  until(async () => {
    const rows = await t.sql.unsafe(`select * from ${table} where site = $1 order by occurred_at, id`, [site]).catch(() => []);
    return rows.length >= want ? rows : null;
  }, `${want} ${table} rows for ${site}`);

describe("Plausible on /api/event", () => {
  test("the tracker's text/plain body: page view, 202 ok", async () => {
    // As @plausible-analytics/tracker sends it (v36).
    const res = await t.post(
      "/api/event",
      { n: "pageview", v: 36, u: "https://plausible-a.example/blog/post?utm_source=newsletter&secret=1", d: "plausible-a.example", r: "https://news.ycombinator.com/item?id=1" },
      { headers: { "content-type": "text/plain" } },
    );
    expect(res.status).toBe(202);
    expect(await res.text()).toBe("ok");
    const [row] = await rowsFor("pageviews", "plausible-a.example", 1);
    expect(row!.pathname).toBe("/blog/post");
    expect(row!.utm_source).toBe("newsletter");
    expect(row!.referrer_host).toBe("news.ycombinator.com");
    expect(row!.url).toBe("https://plausible-a.example/blog/post");
  });

  test("Events API docs: a custom event with props and revenue; a comma list records every site", async () => {
    const res = await t.post("/api/event", {
      name: "Signup",
      url: "http://plausible-b.example/register",
      domain: "plausible-b.example,plausible-rollup.example",
      props: { author: "John Doe", logged_in: "false", nested: { a: 1 } },
      revenue: { currency: "USD", amount: 1322.22 },
    });
    expect(res.status).toBe(202);
    for (const site of ["plausible-b.example", "plausible-rollup.example"]) {
      const [row] = await rowsFor("custom_events", site, 1);
      expect(row!.event_name).toBe("Signup");
      expect(row!.pathname).toBe("/register");
      expect(row!.properties).toEqual({ author: "John Doe", logged_in: "false", nested: '{"a":1}', revenue_amount: 1322.22, revenue_currency: "USD" });
    }
  });

  test("p as a JSON string (older trackers), hash routing keeps the route", async () => {
    const res = await t.post("/api/event", { n: "Download", u: "https://plausible-c.example/#/files", d: "plausible-c.example", p: '{"file":"a.pdf"}', h: 1 });
    expect(res.status).toBe(202);
    const [row] = await rowsFor("custom_events", "plausible-c.example", 1);
    expect(row!.pathname).toBe("/#/files");
    expect(row!.properties).toEqual({ file: "a.pdf" });
  });

  test("engagement is accepted and records nothing", async () => {
    const before = await t.sql`select count(*)::int as n from event_log`;
    const res = await t.post("/api/event", { n: "engagement", sd: 80, e: 5400, d: "plausible-d.example", u: "https://plausible-d.example/", p: {}, v: 36 });
    expect(res.status).toBe(202);
    const after = await t.sql`select count(*)::int as n from event_log`;
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  test("a bot is dropped with x-plausible-dropped, still 202 ok", async () => {
    const res = await t.post(
      "/api/event",
      { n: "pageview", u: "https://plausible-e.example/", d: "plausible-e.example" },
      { headers: { "user-agent": "Googlebot/2.1 (+http://www.google.com/bot.html)" } },
    );
    expect(res.status).toBe(202);
    expect(res.headers.get("x-plausible-dropped")).toBe("1");
  });

  test("our own /api/event bodies still work beside Plausible's", async () => {
    const res = await t.post("/api/event", { eventName: "signup", site: "ours.example", pathname: "/x", customProperties: { plan: "pro" } });
    expect(res.status).toBe(202);
    expect((await res.json()).accepted).toBe(true);
  });

  test("bad Plausible bodies get 4xx naming the field", async () => {
    for (const [body, field] of [
      [{ n: "pageview", d: "x.example" }, "u"],
      [{ n: "pageview", u: "https://x.example/" }, "d"],
      [{ n: 5, u: "https://x.example/", d: "x.example" }, "n"],
      [{ n: "Buy", u: "https://x.example/", d: "x.example", $: { amount: "lots", currency: "USD" } }, "$.amount"],
      [{ n: "Buy", u: "https://x.example/", d: "x.example", p: "{not json" }, "p"],
    ] as const) {
      const res = await t.post("/api/event", body);
      expect(res.status).toBe(422);
      expect((await res.json()).error.message.startsWith(field)).toBe(true);
    }
  });
});

describe("Umami /api/send and /api/batch", () => {
  const umamiPageview = {
    type: "event",
    payload: {
      hostname: "umami-a.example",
      language: "en-US",
      referrer: "https://duckduckgo.com/",
      screen: "1920x1080",
      title: "dashboard%20%C3%A9t%C3%A9",
      url: "/home?utm_campaign=spring",
      website: "0d8b5f5c-1bbd-4e48-9b9e-2a8b3b1f1e4f",
    },
  };

  test("the docs' page view: 200 with the cache token the tracker keeps", async () => {
    const res = await t.post("/api/send", umamiPageview);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(typeof body.cache).toBe("string");
    const [row] = await rowsFor("pageviews", "umami-a.example", 1);
    expect(row!.pathname).toBe("/home");
    expect(row!.title).toBe("dashboard été");
    expect(row!.utm_campaign).toBe("spring");
    expect(row!.referrer_host).toBe("duckduckgo.com");
  });

  test("the docs' custom event: name + data", async () => {
    const res = await t.post("/api/send", { type: "event", payload: { ...umamiPageview.payload, hostname: "umami-b.example", name: "click_button", data: { foo: "bar", n: 3 } } });
    expect(res.status).toBe(200);
    const [row] = await rowsFor("custom_events", "umami-b.example", 1);
    expect(row!.event_name).toBe("click_button");
    expect(row!.properties).toEqual({ foo: "bar", n: 3 });
  });

  test("a performance report becomes a Web Vitals row", async () => {
    const res = await t.post("/api/send", {
      type: "performance",
      payload: { website: "0d8b5f5c-1bbd-4e48-9b9e-2a8b3b1f1e4f", hostname: "umami-c.example", url: "/pricing", lcp: 2100.5, inp: 180, cls: 0.04, fcp: 900, ttfb: 120 },
    });
    expect(res.status).toBe(200);
    const [row] = await rowsFor("web_vitals", "umami-c.example", 1);
    expect(row).toMatchObject({ pathname: "/pricing", lcp: 2100.5, inp: 180, cls: 0.04, fcp: 900, ttfb: 120, browser: "Chrome", device_type: "desktop" });
  });

  test("UMAMI_WEBSITES maps a website id to a site", async () => {
    const res = await t.post("/api/send", { type: "event", payload: { ...umamiPageview.payload, website: "94db1cb1-74f4-4a40-ad6c-962362670409", hostname: "localhost" } });
    expect(res.status).toBe(200);
    await rowsFor("pageviews", "umami-mapped.example", 1);
  });

  test("identify stores nothing; /api/batch takes every item", async () => {
    const before = (await t.sql`select count(*)::int as n from event_log`)[0]!.n;
    const id = await t.post("/api/send", { type: "identify", payload: { ...umamiPageview.payload, id: "user-4711", data: { email: "a@b.example" } } });
    expect(id.status).toBe(200);
    expect((await t.sql`select count(*)::int as n from event_log`)[0]!.n).toBe(before);
    const batch = await t.post("/api/batch", [
      { type: "event", payload: { ...umamiPageview.payload, hostname: "umami-batch.example", url: "/one" } },
      { type: "event", payload: { ...umamiPageview.payload, hostname: "umami-batch.example", url: "/two", name: "signup" } },
    ]);
    expect(batch.status).toBe(200);
    expect(await batch.json()).toEqual({ size: 2, processed: 2, errors: 0, details: [] });
    await rowsFor("pageviews", "umami-batch.example", 1);
    await rowsFor("custom_events", "umami-batch.example", 1);
  });

  test("a bad item fails the whole batch with 422 and writes nothing", async () => {
    const before = (await t.sql`select count(*)::int as n from event_log`)[0]!.n;
    const res = await t.post("/api/batch", [umamiPageview, { type: "event", payload: { hostname: 42 } }]);
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toContain("payload.hostname");
    expect((await t.sql`select count(*)::int as n from event_log`)[0]!.n).toBe(before);
  });

  test("bad bodies: unknown type, missing hostname → 4xx", async () => {
    expect((await t.post("/api/send", { type: "nope", payload: {} })).status).toBe(422);
    const res = await t.post("/api/send", { type: "event", payload: { url: "/" } });
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toContain("payload.hostname");
  });
});

describe("never stored", () => {
  test("screen, language, distinct ids, tracker versions are nowhere in any table or the event log", async () => {
    await t.post("/api/send", { type: "event", payload: { hostname: "umami-z.example", url: "/", screen: "3441x1443", language: "tlh-KL", id: "distinct-9f8e7d" } });
    await t.post("/api/event", { n: "pageview", u: "https://plausible-z.example/", d: "plausible-z.example", v: 987654 });
    await rowsFor("pageviews", "umami-z.example", 1);
    await rowsFor("pageviews", "plausible-z.example", 1);
    // Every table, the event log among them, and every log line (LOG_LEVEL=debug in tests).
    const dump = (await dumpAllTables(t.sql)) + "\n" + t.logs.join("\n");
    for (const secret of ["3441x1443", "tlh-KL", "distinct-9f8e7d", "user-4711", "a@b.example", "987654", "203.0.113.7", "Chrome/131.0.0.0"]) {
      expect(dump).not.toContain(secret);
    }
  });
});

describe("vitalsPercentiles", () => {
  test("p75 per page and per browser from Umami performance reports", async () => {
    const { vitalsPercentiles } = await import("../../src/vitals/vitals-percentiles.ts");
    const lcps = [1000, 2000, 3000, 4000, 5000];
    for (const lcp of lcps) {
      const res = await t.post("/api/send", { type: "performance", payload: { hostname: "vitals.example", url: "/a", lcp, cls: lcp / 10_000 } });
      expect(res.status).toBe(200);
    }
    await t.post("/api/vitals", { site: "vitals.example", pathname: "/b", lcp: 800, ttfb: 50 });
    await rowsFor("web_vitals", "vitals.example", 6);
    const range = { site: "vitals.example", from: new Date(Date.now() - 3600_000), to: new Date(Date.now() + 3600_000) };
    const byPage = await vitalsPercentiles(t.sql, { ...range, by: "pathname" });
    const a = byPage.find((r) => r.group === "/a")!;
    expect(a.measurements).toBe(5);
    expect(a.lcp_p).toBe(4000); // percentile_cont(0.75) of 1000..5000
    expect(a.cls_p).toBeCloseTo(0.4);
    expect(a.inp_p).toBeNull();
    expect(byPage.find((r) => r.group === "/b")).toMatchObject({ measurements: 1, lcp_p: 800, ttfb_p: 50 });
    const [all] = await vitalsPercentiles(t.sql, { ...range, by: "browser" });
    expect(all).toMatchObject({ group: "Chrome", measurements: 6 });
    expect((await vitalsPercentiles(t.sql, { ...range, percentile: 0.5 }))[0]!.lcp_p).toBe(2500);
  });
});
