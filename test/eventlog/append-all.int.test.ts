import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { buildApp } from "../../src/app.ts";
import { LOCKS } from "../../src/db/locks.ts";
import type { AppError } from "../../src/errors.ts";
import { createEventLog, type EventLog, type LogEntry } from "../../src/eventlog/local-log.ts";
import { createMetrics } from "../../src/metrics/registry.ts";
import { envelope } from "../sentry/fixtures.ts";
import { makeProject, type TestProject } from "../sentry/helpers.ts";
import { CHROME_UA, startTestApp, type TestApp } from "../support/app.ts";
import { until } from "../support/wait.ts";

let t: TestApp;
let shop: TestProject;
beforeAll(async () => {
  t = await startTestApp();
  shop = await makeProject(t, "Shop", ["shop.example.com"]);
});
afterAll(() => t.stop());

const entry = (tag: string): LogEntry => ({ ingestId: crypto.randomUUID(), flowType: "pageview.0", eventType: "pageview.tracked.v0", payload: { pathname: `/unit/${tag}` } });
const newLog = (opts: Parameters<typeof createEventLog>[3]) => createEventLog(t.runtime.deps.database.sql, t.runtime.deps.ensureSchema, createMetrics(), opts);
const stored = async (tags: string[]) =>
  (await t.sql`select payload->>'pathname' as p from event_log where payload->>'pathname' in ${t.sql(tags.map((x) => `/unit/${x}`))} order by seq`).map((r) => r.p.slice(6));

/**
 * Holds the group-commit lock from another connection, so the log's commit in flight waits and
 * later appends stay queued: the queue can then be filled deterministically.
 */
async function holdAppendLock(): Promise<{ release(): Promise<void> }> {
  const conn = postgres(t.db.url, { max: 1, onnotice: () => {} });
  let release!: () => void;
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const done = conn.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCKS.append})`;
    locked();
    await new Promise<void>((r) => (release = r));
  });
  await isLocked;
  return {
    async release() {
      release();
      await done;
      await conn.end();
    },
  };
}

/** True once a group commit is waiting for the held lock (the log's commit is in flight). */
const commitWaiting = async () => Number((await t.sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = ${LOCKS.append} and not granted`)[0]!.n) > 0;

/** Queues `n` single entries behind a commit that cannot finish (the lock is held). */
async function fillQueue(log: EventLog, tags: string[]): Promise<Promise<void>[]> {
  const first = log.append(entry(tags[0]!));
  await until(() => log.pending === 0, "the first commit to be in flight");
  return [first, ...tags.slice(1).map((x) => log.append(entry(x)))];
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: AppError) => ({ status: e.status, code: e.code }),
  );

describe("appendAll: one unit, committed whole or not at all", () => {
  test("a unit that does not fit in the queue is refused whole (503 overloaded); one that fits commits in one transaction", async () => {
    const log = newLog({ maxQueue: 4, commitTimeoutMs: 20_000 });
    const lock = await holdAppendLock();
    let queued: Promise<void>[];
    try {
      queued = await fillQueue(log, ["a", "b", "c"]);
      expect(log.pending).toBe(2);
      expect(await refusal(log.appendAll(["d1", "d2", "d3"].map(entry)))).toEqual({ status: 503, code: "overloaded" });
      queued.push(log.appendAll(["e1", "e2"].map(entry)));
      expect(log.pending).toBe(4);
      expect(await refusal(log.append(entry("f")))).toEqual({ status: 503, code: "overloaded" });
    } finally {
      await lock.release();
    }
    await Promise.all(queued);
    expect(await stored(["a", "b", "c", "d1", "d2", "d3", "e1", "e2", "f"])).toEqual(["a", "b", "c", "e1", "e2"]);
    // e1 and e2 went in one transaction.
    const xmins = await t.sql`select distinct xmin::text from event_log where payload->>'pathname' in ('/unit/e1', '/unit/e2')`;
    expect(xmins.length).toBe(1);
  });

  test("a unit larger than a batch is never split across commits", async () => {
    const log = newLog({ maxBatch: 2 });
    const tags = ["g1", "g2", "g3", "g4", "g5"];
    await Promise.all([log.append(entry("h")), log.appendAll(tags.map(entry)), log.append(entry("i"))]);
    const rows = await t.sql`select xmin::text as x, seq from event_log where payload->>'pathname' in ${t.sql(tags.map((x) => `/unit/${x}`))} order by seq`;
    expect(rows.length).toBe(5);
    expect(new Set(rows.map((r) => r.x)).size).toBe(1);
    expect(await stored(["h", ...tags, "i"])).toEqual(["h", ...tags, "i"]);
  });

  test("a unit past its commit deadline is not stored at all (503), even once the database answers", async () => {
    const log = newLog({ commitTimeoutMs: 1000 });
    const lock = await holdAppendLock();
    let late: { status: number; code: string } | null;
    try {
      late = await refusal(log.appendAll(["j1", "j2", "j3"].map(entry)));
    } finally {
      await lock.release();
    }
    expect(late).toEqual({ status: 503, code: "unavailable" });
    await log.drain();
    expect(await stored(["j1", "j2", "j3"])).toEqual([]);
  });

  test("an empty unit resolves without a commit; an aborted client's unit is not written", async () => {
    const log = newLog({});
    await log.appendAll([]);
    const gone = new AbortController();
    gone.abort();
    expect(await refusal(log.appendAll(["k1", "k2"].map(entry), gone.signal))).toEqual({ status: 499, code: "client_closed" });
    expect(await stored(["k1", "k2"])).toEqual([]);
  });
});

describe("multi-event requests are stored all-or-nothing", () => {
  const request = (app: ReturnType<typeof buildApp>, path: string, body: string, headers: Record<string, string>) =>
    app.handle(new Request(`http://localhost${path}`, { method: "POST", body, headers: { "x-forwarded-for": "198.51.100.23", ...headers } }));
  const pageview = (app: ReturnType<typeof buildApp>, pathname: string) =>
    request(app, "/api/pageview", JSON.stringify({ site: "fill.example.com", pathname }), { "content-type": "application/json", "user-agent": CHROME_UA });
  const sentryPath = () => `/api/${shop.id}/envelope/?sentry_key=${shop.key}`;
  const crashIds = ["a1".repeat(16), "b2".repeat(16)];
  const body = envelope({ event_id: crashIds[0] }, [
    { header: { type: "event" }, payload: { event_id: crashIds[0], message: "first of the envelope", release: "fill@1.0.0" } },
    { header: { type: "event" }, payload: { event_id: crashIds[1], message: "second of the envelope", release: "fill@1.0.0" } },
    {
      header: { type: "session" },
      payload: { sid: "s-1", started: new Date().toISOString(), status: "crashed", errors: 1, init: true, attrs: { release: "fill@1.0.0", environment: "production" } },
    },
  ]);
  const envelopeRows = async () => ({
    log: Number((await t.sql`select count(*)::int as n from event_log where payload->>'eventId' in ${t.sql(crashIds)} or payload->>'release' = 'fill@1.0.0'`)[0]!.n),
    crashes: Number((await t.sql`select count(*)::int as n from crashes where event_id in ${t.sql(crashIds)}`.catch(() => [{ n: 0 }]))[0]!.n),
  });

  test("a Sentry envelope refused when the queue is full leaves no row; sent again, all of it lands", async () => {
    // Room for 3 queued entries; 2 are taken, the envelope brings 3 (2 events and a session):
    // before appendAll, the first item was stored and the rest refused.
    const log = newLog({ maxQueue: 3, commitTimeoutMs: 20_000 });
    const app = buildApp({ ...t.runtime.deps, eventLog: log });
    const lock = await holdAppendLock();
    let pageviews: Promise<Response>[] = [];
    let refused: Response;
    try {
      pageviews.push(pageview(app, "/fill/0"));
      await until(commitWaiting, "the first commit to be in flight");
      pageviews = [...pageviews, pageview(app, "/fill/1"), pageview(app, "/fill/2")];
      await until(() => log.pending === 2, "two page views queued");
      refused = await request(app, sentryPath(), body, { "user-agent": "sentry.javascript.node/10.78.0" });
    } finally {
      await lock.release();
    }
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("overloaded");
    expect(refused.headers.get("retry-after")).toBe("1");
    expect((await Promise.all(pageviews)).map((r) => r.status)).toEqual([202, 202, 202]);
    await log.drain();
    await t.runtime.deps.eventLog.drain();
    expect(await envelopeRows()).toEqual({ log: 0, crashes: 0 });

    const again = await request(app, sentryPath(), body, { "user-agent": "sentry.javascript.node/10.78.0" });
    expect(again.status).toBe(200);
    expect(await envelopeRows()).toMatchObject({ log: 3 });
    await until(async () => (await envelopeRows()).crashes === 2, "both crashes projected");
  }, 30_000);

  test("a seed-003 /collect batch (a measurement and two errors) refused when the queue is full leaves no row", async () => {
    const log = newLog({ maxQueue: 3, commitTimeoutMs: 20_000 });
    const app = buildApp({ ...t.runtime.deps, eventLog: log });
    const collect = JSON.stringify({
      url: "https://collect-fill.example/page",
      performance: { lcp: 1200, fcp: 800 },
      errors: [{ message: "Uncaught TypeError: one" }, { message: "Uncaught RangeError: two" }],
    });
    const lock = await holdAppendLock();
    let first: Promise<Response>[];
    let refused: Response;
    try {
      first = [pageview(app, "/fill/collect/0")];
      await until(commitWaiting, "the first commit to be in flight");
      first.push(pageview(app, "/fill/collect/1"));
      await until(() => log.pending === 1, "a page view queued");
      refused = await request(app, "/collect", collect, { "content-type": "application/json", "user-agent": CHROME_UA, origin: "https://collect-fill.example" });
    } finally {
      await lock.release();
    }
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("overloaded");
    expect((await Promise.all(first)).map((r) => r.status)).toEqual([202, 202]);
    await log.drain();
    const [{ n }] = (await t.sql`select count(*)::int as n from event_log where payload->>'site' = 'collect-fill.example'`) as unknown as [{ n: number }];
    expect(n).toBe(0);
    // With room, the same batch is stored whole.
    const ok = await request(app, "/collect", collect, { "content-type": "application/json", "user-agent": CHROME_UA, origin: "https://collect-fill.example" });
    expect(ok.status).toBe(200);
    const [{ m }] = (await t.sql`select count(*)::int as m from event_log where payload->>'site' = 'collect-fill.example'`) as unknown as [{ m: number }];
    expect(m).toBe(3);
  }, 30_000);
});
