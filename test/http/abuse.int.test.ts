import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "../support/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ delivery: false, env: { RATE_LIMIT_RPS: "2", RATE_LIMIT_BURST: "5" } });
});
afterAll(() => t.stop());

describe("abuse limits", () => {
  test("a noisy IP gets 429 with Retry-After while another IP still gets 202", async () => {
    const noisy = await Promise.all(Array.from({ length: 30 }, (_, i) => t.post("/api/pageview", { site: "example.com", pathname: `/n${i}` }, { ip: "198.51.100.66" })));
    const statuses = noisy.map((r) => r.status);
    expect(statuses.filter((s) => s === 202).length).toBe(5);
    expect(statuses.filter((s) => s === 429).length).toBe(25);
    const limited = noisy.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await limited.json()).error.code).toBe("rate_limited");

    const quiet = await t.post("/api/pageview", { site: "example.com", pathname: "/quiet" }, { ip: "198.51.100.77" });
    expect(quiet.status).toBe(202);
    // Health, metrics and the snippet are not rate limited.
    expect((await t.app.handle(new Request("http://localhost/healthz"))).status).toBe(200);
  });

  test("RATE_LIMIT_RPS=0 turns it off", async () => {
    const off = await startTestApp({ delivery: false, env: { RATE_LIMIT_RPS: "0" } });
    try {
      const res = await Promise.all(Array.from({ length: 150 }, () => off.post("/api/pageview", { site: "example.com", pathname: "/" }, { ip: "198.51.100.5" })));
      expect(res.every((r) => r.status === 202)).toBe(true);
    } finally {
      await off.stop();
    }
  });

  test("JSON nested deeper than 8 levels → 422, nothing written", async () => {
    const deep = { site: "example.com", pathname: "/", customProperties: JSON.parse("[".repeat(50) + "]".repeat(50)) };
    const res = await t.post("/api/event", { ...deep, eventName: "x" }, { ip: "198.51.100.8" });
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe("too_deep");
    const huge = await t.app.handle(
      new Request("http://localhost/api/event", {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.8" },
        body: "[".repeat(30000) + "]".repeat(30000),
      }),
    );
    expect(huge.status).toBe(422);
  });

  test("prototype-pollution keys are dropped, never merged", async () => {
    const body = '{"site":"example.com","pathname":"/p","eventName":"x","customProperties":{"__proto__":{"polluted":"yes"},"constructor":"c","prototype":"p","plan":"pro"}}';
    const res = await t.post("/api/event", body, { raw: true, ip: "198.51.100.9" });
    expect(res.status).toBe(202);
    const [row] = await t.sql`select payload from event_log order by seq desc limit 1`;
    expect(row!.payload.properties).toEqual({ plan: "pro" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
