import { afterAll, beforeAll, expect, test } from "bun:test";
import { networkInterfaces } from "node:os";
import { startTestApp, type TestApp } from "../support/app.ts";
import { serverSlot, startServerProcess } from "../support/server-process.ts";
import { until } from "../support/wait.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ delivery: false });
});
afterAll(() => t.stop());

const scrape = (headers: Record<string, string> = {}) => t.app.handle(new Request("http://localhost/metrics", { headers }));
const ingested = (text: string) => Number(/^analytics_events_ingested_total\{type="pageview"\} (\d+)$/m.exec(text)?.[1] ?? 0);

test("scrapes within a second share one rendering; a later scrape sees new counts", async () => {
  const before = await (await scrape()).text();
  expect((await t.post("/api/pageview", { site: "example.com", pathname: "/cached" })).status).toBe(202);
  // Rendered moments ago: the same text, without the page view just counted.
  const again = await (await scrape()).text();
  expect(again).toBe(before);
  expect(await until(async () => ingested(await (await scrape()).text()) === ingested(before) + 1, "a fresh rendering", 5000, 100)).toBe(true);
});

test("without METRICS_TOKEN, a request relayed by a proxy is refused with 403", async () => {
  const res = await scrape({ "x-forwarded-for": "203.0.113.7" });
  expect(res.status).toBe(403);
  expect((await res.json()).error).toMatchObject({ code: "forbidden", message: expect.stringContaining("METRICS_TOKEN") });
});

test("with METRICS_TOKEN, the token works from anywhere", async () => {
  const locked = await startTestApp({ delivery: false, env: { METRICS_TOKEN: "token-123456" } });
  try {
    const res = await locked.app.handle(new Request("http://localhost/metrics", { headers: { "x-forwarded-for": "203.0.113.7", authorization: "Bearer token-123456" } }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("analytics_service_info");
  } finally {
    await locked.stop();
  }
});

// A real server listening on every interface: a scrape through the machine's own non-loopback
// address is a remote client as far as the server can tell.
const external = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && !i.internal && i.family === "IPv4")?.address;
test.skipIf(!external)(
  "a real server without METRICS_TOKEN answers /metrics on loopback only",
  async () => {
    const slot = serverSlot();
    const server = await startServerProcess(slot, { HOST: "0.0.0.0" });
    try {
      expect((await fetch(`http://127.0.0.1:${slot.port}/metrics`)).status).toBe(200);
      const remote = await fetch(`http://${external}:${slot.port}/metrics`);
      expect(remote.status).toBe(403);
      expect((await fetch(`http://${external}:${slot.port}/healthz`)).status).toBe(200);
    } finally {
      server.proc.kill("SIGTERM");
      await server.exited;
    }
  },
  60_000,
);
