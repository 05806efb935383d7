import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "../support/app.ts";
import { until } from "../support/wait.ts";

const IP = "198.51.100.201";
const UA = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0 UniqueTestAgent/7.7";
const TRANSFORMER_SECRET = "transformer-secret-do-not-log";
const METRICS_TOKEN = "metrics-token-do-not-log";
const WRONG_SECRET = "attacker-guess-do-not-log";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { LOG_LEVEL: "debug", FLOWCORE_TRANSFORMER_SECRET: TRANSFORMER_SECRET, METRICS_TOKEN, RATE_LIMIT_RPS: "1", RATE_LIMIT_BURST: "3" } });
});
afterAll(() => t.stop());

test("logs never contain the client IP, user agent or any secret, whatever the request", async () => {
  const h = { "user-agent": UA };
  const send = (path: string, body: unknown, headers: Record<string, string> = {}) => t.post(path, body, { ip: IP, headers: { ...h, ...headers } });
  await send("/api/pageview", { site: "example.com", pathname: "/" });
  await send("/api/event", { site: "example.com", pathname: "/", eventName: "x", customProperties: { ip: "not-really" } });
  await send("/api/crash", { site: "example.com", errorType: "Error", message: `failed for ${IP}` });
  await send("/api/pageview", "{broken", { "content-type": "application/json" });
  await t.post("/api/pageview", "{broken", { raw: true, ip: IP, headers: h });
  await send("/api/pageview", { pathname: 1 });
  for (let i = 0; i < 5; i++) await send("/api/pageview", { site: "example.com", pathname: "/flood" }); // → 429s
  for (const secret of [WRONG_SECRET, TRANSFORMER_SECRET]) {
    await t.app.handle(
      new Request("http://localhost/api/transformer", {
        method: "POST",
        headers: { "content-type": "application/json", "x-secret": secret, "user-agent": UA, "x-forwarded-for": IP },
        body: JSON.stringify({ eventId: "1", eventType: "nope", flowType: "nope", payload: {} }),
      }),
    );
  }
  for (const token of [WRONG_SECRET, METRICS_TOKEN]) {
    const res = await t.app.handle(new Request("http://localhost/metrics", { headers: { authorization: `Bearer ${token}` } }));
    expect(res.status).toBe(token === METRICS_TOKEN ? 200 : 401);
  }
  await t.waitForRows("crashes", 1);

  const logs = t.logs.join("\n");
  expect(t.logs.length).toBeGreaterThanOrEqual(3); // rejected requests are logged…
  for (const line of t.logs) expect(() => JSON.parse(line)).not.toThrow(); // …as JSON lines
  for (const needle of [IP, UA, "UniqueTestAgent", TRANSFORMER_SECRET, METRICS_TOKEN, WRONG_SECRET]) {
    expect(logs).not.toContain(needle);
  }
});

test("a flood of rejected requests logs one line per class per interval", async () => {
  // A class the first test never sent (empty_body), so its interval starts with this flood.
  const before = t.logs.length;
  const statuses = new Set<number>();
  for (let i = 0; i < 200; i++) statuses.add((await t.post("/api/event", "", { raw: true, ip: `10.3.${i}.1` })).status);
  expect([...statuses]).toEqual([400]);
  const added = t.logs.slice(before).filter((l) => l.includes("empty_body"));
  expect(added.length).toBe(1);
  // Scrapes are rendered at most once a second: wait for a rendering made after the flood.
  const scrape = async () => (await t.app.handle(new Request("http://localhost/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }))).text();
  expect(await until(async () => /analytics_requests_rejected_total\{code="empty_body"\} 200\n/.test(await scrape()), "the flood counted in /metrics", 5000, 100)).toBe(true);
});
