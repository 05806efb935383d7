import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "../support/app.ts";
import { until } from "../support/wait.ts";

/** Every answered request is in the duration histogram with the status the client saw. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ delivery: false, env: { RATE_LIMIT_RPS: "1", RATE_LIMIT_BURST: "2", MAX_BODY_BYTES: "2048" } });
});
afterAll(() => t.stop());

const metrics = async () => (await t.app.handle(new Request("http://localhost/metrics"))).text();
const count = (text: string, method: string, route: string, status: number) => {
  const re = new RegExp(`analytics_http_request_duration_seconds_count\\{method="${method}",route="${route.replace(/\//g, "\\/")}",status="${status}"\\} (\\d+)`);
  return Number(text.match(re)?.[1] ?? 0);
};

describe("analytics_http_request_duration_seconds", () => {
  test("413, 415, 404 and 429 are recorded with their real status", async () => {
    const big = await t.post("/api/pageview", { site: "example.com", pathname: "/" + "x".repeat(4000) }, { ip: "198.51.100.1" });
    expect(big.status).toBe(413);
    const html = await t.post("/api/pageview", "<p>hi</p>", { raw: true, ip: "198.51.100.2", headers: { "content-type": "text/html" } });
    expect(html.status).toBe(415);
    const missing = await t.app.handle(new Request("http://localhost/no-such-page"));
    expect(missing.status).toBe(404);
    const burst = await Promise.all(Array.from({ length: 4 }, () => t.post("/api/event", { site: "example.com", pathname: "/", eventName: "x" }, { ip: "198.51.100.3" })));
    expect(burst.filter((r) => r.status === 429).length).toBe(2);

    // The hook runs once the response is on its way: wait for the last one to be recorded.
    const text = await until(
      async () => {
        const m = await metrics();
        return count(m, "POST", "/api/event", 202) === 2 && count(m, "GET", "unmatched", 404) === 1 ? m : null;
      },
      "every answer recorded",
      5000,
    );
    expect(count(text, "POST", "/api/pageview", 413)).toBe(1);
    expect(count(text, "POST", "/api/pageview", 415)).toBe(1);
    expect(count(text, "GET", "unmatched", 404)).toBe(1);
    expect(count(text, "GET", "unmatched", 200)).toBe(0);
    expect(count(text, "POST", "/api/event", 429)).toBe(2);
    expect(count(text, "POST", "/api/event", 202)).toBe(2);
    expect(text).not.toMatch(/status="400"/);
  });

  test("embedded mode exports no analytics_flowcore_* metric; event types carry one label vocabulary", async () => {
    const text = await metrics();
    expect(text).not.toContain("analytics_flowcore_");
    expect(text).toMatch(/analytics_events_ingested_total\{type="custom_event"\} 2/);
    expect(text).not.toMatch(/type="[a-z-]+\.[a-z-]+\.v0"/);
  });
});
