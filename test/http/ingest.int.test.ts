import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "../support/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ delivery: false });
});
afterAll(() => t.stop());

describe("ingest endpoints", () => {
  test("POST /api/pageview with JSON → 202 and an id", async () => {
    const res = await t.post("/api/pageview", { pathname: "/pricing", site: "example.com", referrer: "https://news.ycombinator.com/item?id=1" });
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body.accepted).toBe(true);
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });

  test("text/plain bodies are accepted (no CORS preflight needed)", async () => {
    const res = await t.post("/api/pageview", { pathname: "/", site: "example.com" }, { headers: { "content-type": "text/plain;charset=UTF-8" } });
    expect(res.status).toBe(202);
  });

  test("the seed snippet's body to /api/event works unchanged; the site comes from Origin", async () => {
    const res = await t.post("/api/event", { pathname: "/home", referrer: "", eventName: "page_view", customProperties: {} }, { headers: { origin: "https://blog.example.org" } });
    expect(res.status).toBe(202);
    const res2 = await t.post(
      "/api/event",
      { pathname: "/home", referrer: "https://google.com", eventName: "button_click", customProperties: { button: "signup" } },
      { headers: { origin: "https://blog.example.org" } },
    );
    expect(res2.status).toBe(202);
    const rows = await t.sql`select event_type, payload->>'site' as site from event_log order by seq desc limit 2`;
    expect(rows.map((r) => r.event_type).sort()).toEqual(["custom-event.tracked.v0", "pageview.tracked.v0"]);
    expect(rows.every((r) => r.site === "blog.example.org")).toBe(true);
  });

  test("the site falls back to the Referer host", async () => {
    const res = await t.post("/api/pageview", { pathname: "/a" }, { headers: { referer: "https://www.docs.example.net/a?x=1" } });
    expect(res.status).toBe(202);
    const [row] = await t.sql`select payload->>'site' as site from event_log order by seq desc limit 1`;
    expect(row!.site).toBe("docs.example.net");
  });

  test("POST /api/crash → 202", async () => {
    const res = await t.post("/api/crash", {
      errorType: "TypeError",
      message: "x is undefined",
      stack: "TypeError: x is undefined\n    at f (https://example.com/app.js:1:2)",
      site: "example.com",
      severity: "fatal",
    });
    expect(res.status).toBe(202);
  });

  test("CORS preflight is answered", async () => {
    const res = await t.app.handle(
      new Request("http://localhost/api/event", {
        method: "OPTIONS",
        headers: { origin: "https://blog.example.org", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      }),
    );
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("access-control-allow-headers")).toBe("content-type");
  });

  test("bots are dropped with a counted reason, nothing is logged", async () => {
    const before = (await t.sql`select count(*)::int as n from event_log`)[0]!.n;
    const res = await t.post("/api/pageview", { pathname: "/", site: "example.com" }, { headers: { "user-agent": "Googlebot/2.1 (+http://www.google.com/bot.html)" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: false, reason: "bot" });
    expect((await t.sql`select count(*)::int as n from event_log`)[0]!.n).toBe(before);
    const metrics = await (await t.app.handle(new Request("http://localhost/metrics"))).text();
    expect(metrics).toMatch(/analytics_events_dropped_total\{type="pageview",reason="bot"\} 1/);
  });

  test("ALLOWED_SITES drops other sites as unknown_site", async () => {
    const other = await startTestApp({ delivery: false, env: { ALLOWED_SITES: "example.com" } });
    try {
      expect((await other.post("/api/pageview", { pathname: "/", site: "example.com" })).status).toBe(202);
      const res = await other.post("/api/pageview", { pathname: "/", site: "evil.example" });
      expect(await res.json()).toEqual({ accepted: false, reason: "unknown_site" });
    } finally {
      await other.stop();
    }
  });
});
