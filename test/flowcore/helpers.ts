import type postgres from "postgres";
import type { App } from "../../src/app.ts";
import type { FakeEvent, FakeFlowcore } from "../support/fake-flowcore.ts";
import type { TestApp } from "../support/app.ts";
import { countRows } from "../support/count-rows.ts";
import { until } from "../support/wait.ts";

export const TRANSFORMER_SECRET = "transformer-secret-for-tests";

/** Flowcore mode against the fake, with short timeouts and backoff so outages resolve quickly. */
export function flowcoreEnv(fake: FakeFlowcore, extra: Record<string, string> = {}): Record<string, string> {
  return {
    FLOWCORE_TENANT: fake.tenant,
    FLOWCORE_DATA_CORE: fake.dataCore,
    FLOWCORE_WEBHOOK_API_KEY: fake.apiKey,
    FLOWCORE_WEBHOOK_BASEURL: fake.url,
    FLOWCORE_TRANSFORMER_SECRET: TRANSFORMER_SECRET,
    FLOWCORE_EMIT_TIMEOUT_MS: "5000",
    FLOWCORE_RETRY_MAX_MS: "200",
    RATE_LIMIT_RPS: "0",
    LOG_LEVEL: "warn",
    ...extra,
  };
}

export const pageview = (i: number) => ["/api/pageview", { site: "example.com", pathname: `/page-${i}`, referrer: "https://news.ycombinator.com/" }] as const;
export const customEvent = (i: number) => ["/api/event", { site: "example.com", pathname: "/signup", eventName: "signup", customProperties: { plan: "pro", n: i } }] as const;
/** Crashes from the same stack share one crash group. */
export const crash = (i: number) =>
  [
    "/api/crash",
    {
      site: "example.com",
      errorType: "TypeError",
      message: "x is undefined",
      stack: "TypeError: x is undefined\n    at render (https://example.com/app.js:10:5)",
      release: `1.0.${i}`,
    },
  ] as const;

/** Posts the requests (each from its own IP); returns the accepted ingest ids. Every one must be 202. */
export async function ingest(t: TestApp, requests: (readonly [string, Record<string, unknown>])[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, [path, body]] of requests.entries()) {
    const res = await t.post(path, body, { ip: `198.51.100.${(i % 250) + 1}` });
    if (res.status !== 202) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    ids.push(((await res.json()) as { id: string }).id);
  }
  return ids;
}

/** Delivers the fake's recorded events to /api/transformer the way Flowcore's transformer does. */
export async function deliver(app: App, events: FakeEvent[], secret = TRANSFORMER_SECRET): Promise<number[]> {
  const statuses: number[] = [];
  for (const e of events) {
    const body = {
      eventId: e.eventId,
      flowType: e.flowType,
      eventType: e.eventType,
      payload: e.payload,
      validTime: e.validTime,
      timeBucket: "20260101000000",
      tenant: "test-tenant",
      dataCoreId: "dc",
    };
    const res = await app.handle(
      new Request("http://localhost/api/transformer", { method: "POST", headers: { "content-type": "application/json", "x-secret": secret }, body: JSON.stringify(body) }),
    );
    statuses.push(res.status);
  }
  return statuses;
}

/** Rows in a table (0 when the table does not exist yet). */
export const count = (sql: postgres.Sql, table: string) => countRows(sql, table);

/** The value of one Prometheus sample from GET /metrics (0 when absent). */
export async function metric(app: App, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await app.handle(new Request("http://localhost/metrics"))).text();
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(name + " ") && !line.startsWith(name + "{")) continue;
    if (want.every((w) => line.includes(w))) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return 0;
}

/** Polls `check` until it returns true, or fails with `what` at the deadline. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  await until(check, what, timeoutMs);
}

export const uniqueIngestIds = (events: FakeEvent[]) => new Set(events.map((e) => String(e.payload.ingestId)));
