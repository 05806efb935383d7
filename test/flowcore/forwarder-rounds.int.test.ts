import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { lazyMigrator } from "../../src/db/migrate.ts";
import { createForwarder, type ForwarderOptions } from "../../src/eventlog/forwarder.ts";
import { silentLogger } from "../../src/log.ts";
import { createMetrics } from "../../src/metrics/registry.ts";
import { createPathways } from "../../src/pathways/pathways.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { startFakeFlowcore, type FakeFlowcore } from "../support/fake-flowcore.ts";
import { ingest, pageview } from "./helpers.ts";

/**
 * The forwarder driven one round at a time (no loop, no timers): the events come from an
 * embedded-mode app without delivery, so nothing else touches the log.
 */
let t: TestApp;
let fake: FakeFlowcore;
beforeAll(async () => {
  fake = await startFakeFlowcore();
  t = await startTestApp({ delivery: false, env: { RATE_LIMIT_RPS: "0", LOG_LEVEL: "warn" } });
  await t.runtime.deps.ensureSchema();
});
afterAll(async () => {
  await t.stop();
  await fake.stop();
});
beforeEach(async () => {
  await fake.recover();
  fake.requests.length = 0;
  fake.events.length = 0;
});

function forwarder(opts: Partial<ForwarderOptions> = {}) {
  const flowcore = { tenant: fake.tenant, dataCore: fake.dataCore, apiKey: fake.apiKey, baseUrl: fake.url };
  const { sql, url } = t.runtime.deps.database;
  const metrics = createMetrics({ flowcore: true });
  return createForwarder({
    sql,
    schemaReady: lazyMigrator(sql, url).ready,
    pathways: createPathways({ flowcore }, t.runtime.deps.projector),
    metrics,
    flowcoreMetrics: metrics.flowcore!,
    log: silentLogger,
    retentionHours: 1,
    pruneEveryMs: 0,
    emitTimeoutMs: 5000,
    ...opts,
  });
}
const rows = () => t.sql<{ ingest_id: string; forwarded: boolean }[]>`select ingest_id::text, forwarded_at is not null as forwarded from event_log order by seq`;

describe("forwarder rounds", () => {
  test("batches of at most batchSize, in seq order; `more` until the log is drained", async () => {
    await t.sql`delete from event_log`;
    const ids = await ingest(t, [1, 2, 3, 4, 5].map(pageview));
    const f = forwarder({ batchSize: 2 });
    expect(await f.round()).toEqual({ more: true, error: null });
    expect(await f.round()).toEqual({ more: true, error: null });
    expect(await f.round()).toEqual({ more: false, error: null });
    expect(fake.requests.map((r) => (JSON.parse(r.body) as unknown[]).length)).toEqual([2, 2, 1]);
    expect(fake.events.map((e) => e.payload.ingestId)).toEqual(ids);
    expect((await rows()).every((r) => r.forwarded)).toBe(true);
    expect(await f.round()).toEqual({ more: false, error: null });
    expect(fake.requests.length).toBe(3); // nothing is sent twice
  });

  test("rows are marked only after Flowcore accepted them; a failed round keeps them all", async () => {
    await t.sql`delete from event_log`;
    await ingest(t, [pageview(1), pageview(2)]);
    fake.failWith(401);
    const r = await forwarder().round();
    expect(r.error?.reason).toBe("rejected");
    expect((await rows()).some((x) => x.forwarded)).toBe(false);
  });

  test("forwarded rows are pruned after the retention; unsent rows never are", async () => {
    await t.sql`delete from event_log`;
    await ingest(t, [pageview(1), pageview(2)]);
    fake.failWith(503);
    const pruneNow = forwarder({ retentionHours: 0 });
    expect((await pruneNow.round()).error?.reason).toBe("server_error");
    expect((await rows()).length).toBe(2); // Flowcore down: everything stays

    await fake.recover();
    const keep = forwarder({ retentionHours: 1 });
    await keep.round();
    expect((await rows()).map((r) => r.forwarded)).toEqual([true, true]);
    await pruneNow.round(); // retention 0: forwarded rows go at the next prune
    expect((await rows()).length).toBe(0);
  }, 15_000);

  test("an event that no longer matches its contract is kept in the log and not sent; the rest go", async () => {
    await t.sql`delete from event_log`;
    await ingest(t, [pageview(1), pageview(2)]);
    await t.sql`update event_log set payload = payload - 'visitorHash' where seq = (select min(seq) from event_log)`;
    const f = forwarder();
    expect(await f.round()).toEqual({ more: false, error: null });
    expect(fake.events.length).toBe(1);
    expect((await rows()).map((r) => r.forwarded)).toEqual([false, true]);
  });
});
