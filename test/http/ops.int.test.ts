import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "../support/app.ts";
import { until } from "../support/wait.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ clock: () => new Date("2026-06-01T23:00:00Z") });
});
afterAll(() => t.stop());

const get = (path: string, headers: Record<string, string> = {}) => t.app.handle(new Request(`http://localhost${path}`, { headers }));

describe("operations endpoints", () => {
  test("GET /healthz reports the database", async () => {
    const res = await get("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", mode: "embedded", components: { database: { status: "up" } } });
  });

  test("GET /metrics: salt rotation countdown, service info, pipeline counters, process metrics", async () => {
    await t.post("/api/pageview", { site: "example.com", pathname: "/m" });
    await t.waitForRows("pageviews", 1);
    // The delivery loop counts a batch just after its commit: wait for the counter, not the row.
    const text = await until(
      async () => {
        const res = await get("/metrics");
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toContain("text/plain");
        const body = await res.text();
        return body.includes('analytics_events_projected_total{type="pageview"}') ? body : null;
      },
      "the projected counter",
      5000,
    );
    expect(text).toMatch(/^analytics_salt_rotation_seconds 3600$/m); // 23:00 UTC → one hour left
    expect(text).toMatch(/analytics_service_info\{version="[\d.]+",mode="embedded",salt_mode="random"\} 1/);
    expect(text).toMatch(/analytics_events_ingested_total\{type="pageview"\} 1/);
    expect(text).toMatch(/analytics_events_projected_total\{type="pageview"\} 1/);
    expect(text).toContain("analytics_eventlog_backlog");
    expect(text).toContain("analytics_projection_lag_seconds");
    expect(text).toContain("analytics_salt_rotations_total");
    expect(text).toMatch(/analytics_http_request_duration_seconds_bucket\{[^}]*route="\/api\/pageview"/);
    expect(text).toContain("analytics_process_resident_memory_bytes");
  });

  test("GET /swagger documents every endpoint with its schema", async () => {
    expect((await get("/swagger")).status).toBe(200);
    const spec = await (await get("/swagger/json")).json();
    for (const path of ["/api/pageview", "/api/event", "/api/crash", "/api/transformer", "/healthz", "/metrics", "/snippet.js"]) {
      expect(spec.paths[path]).toBeDefined();
    }
    const body = spec.paths["/api/pageview"].post.requestBody.content["application/json"].schema;
    expect(JSON.stringify(body)).toContain("pathname");
  });

  test("METRICS_TOKEN protects /metrics", async () => {
    const locked = await startTestApp({ delivery: false, env: { METRICS_TOKEN: "token-123456" } });
    try {
      const res = await locked.app.handle(new Request("http://localhost/metrics"));
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe("unauthorized");
      const ok = await locked.app.handle(new Request("http://localhost/metrics", { headers: { authorization: "Bearer token-123456" } }));
      expect(ok.status).toBe(200);
    } finally {
      await locked.stop();
    }
  });
});
