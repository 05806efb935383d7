import { afterEach, describe, expect, test } from "bun:test";
import { startTestApp, CHROME_UA, type TestApp } from "../support/app.ts";
import { startFakeFlowcore, type FakeFlowcore } from "../support/fake-flowcore.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres.ts";
import { count, crash, customEvent, deliver, flowcoreEnv, ingest, metric, pageview, uniqueIngestIds, waitFor } from "./helpers.ts";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(opts: { db?: TestDatabase; env?: Record<string, string> } = {}): Promise<{ fake: FakeFlowcore; t: TestApp }> {
  const fake = await startFakeFlowcore();
  cleanup.push(() => fake.stop());
  const t = await startTestApp({ env: flowcoreEnv(fake, opts.env), db: opts.db });
  cleanup.push(() => t.stop());
  return { fake, t };
}

const health = async (t: TestApp) =>
  (await t.app.handle(new Request("http://localhost/healthz"))).json() as Promise<{ status: string; components: Record<string, { status: string; detail?: string }> }>;
const unsent = (t: TestApp) => t.sql`select count(*)::int as n from event_log where forwarded_at is null`.then((r) => r[0]!.n as number);

describe("Flowcore mode: the forwarder", () => {
  test("every ingested event arrives once, on its type's batch path, with the API key as Authorization", async () => {
    const { fake, t } = await setup();
    const ids = await ingest(t, [pageview(1), pageview(2), pageview(3), customEvent(1), customEvent(2), crash(1), crash(2)]);
    const events = await fake.waitForEvents(ids.length);
    await waitFor("every row marked forwarded", async () => (await unsent(t)) === 0);

    expect(events.length).toBe(ids.length);
    expect([...uniqueIngestIds(events)].sort()).toEqual([...ids].sort());
    const base = `/events/${fake.tenant}/${fake.dataCore}`;
    const paths = new Set(fake.requests.map((r) => r.path));
    expect([...paths].sort()).toEqual([`${base}/crash.v0/crash.reported.v0`, `${base}/custom-event.v0/custom-event.tracked.v0`, `${base}/pageview.v0/pageview.tracked.v0`]);
    expect(events.filter((e) => e.eventType === "pageview.tracked.v0").length).toBe(3);
    expect(events.filter((e) => e.eventType === "crash.reported.v0").length).toBe(2);
    expect(fake.requests.every((r) => r.authorization === fake.apiKey && r.status === 200)).toBe(true);

    // Privacy: nothing identifying leaves the process.
    for (const r of fake.requests) {
      expect(r.body).not.toContain("198.51.100.");
      expect(r.body).not.toContain(CHROME_UA);
      expect(r.body).not.toContain("Mozilla/5.0");
      expect(r.body).not.toContain("AppleWebKit");
    }

    // Flowcore mode projects only what /api/transformer receives: nothing yet.
    expect(await count(t.sql, "pageviews")).toBe(0);
    expect(await metric(t.app, "analytics_flowcore_events_emitted_total", { type: "pageview" })).toBe(3);
    expect(await metric(t.app, "analytics_flowcore_last_emit_timestamp_seconds")).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(await metric(t.app, "analytics_flowcore_emit_seconds_count")).toBeGreaterThan(0);
    expect((await health(t)).components.flowcore!.status).toBe("up");
  }, 30_000);

  const outages: [string, string, (f: FakeFlowcore) => void][] = [
    ["HTTP 503", "server_error", (f) => f.failWith(503)],
    ["HTTP 429", "rate_limited", (f) => f.failWith(429)],
    ["requests that hang", "timeout", (f) => f.hang()],
    ["refused connections", "network", (f) => f.refuse()],
  ];
  for (const [name, cause, breakIt] of outages) {
    test(`an outage (${name}): ingest keeps answering 202, the backlog grows, /healthz says degraded; after recovery every event arrives`, async () => {
      // Longer than the pathways writer's own retries (~1 s), so an error status is seen as such.
      const { fake, t } = await setup({ env: { FLOWCORE_EMIT_TIMEOUT_MS: "1500" } });
      breakIt(fake);
      const first = await ingest(t, [pageview(1), pageview(2), customEvent(1)]);
      await waitFor(`a failure counted as ${cause}`, async () => (await metric(t.app, "analytics_flowcore_emit_failures_total", { cause })) > 0);
      await waitFor("backlog metric = 3", async () => (await metric(t.app, "analytics_flowcore_backlog")) === 3);

      const h = await health(t);
      expect(h.status).toBe("degraded");
      expect(h.components.database!.status).toBe("up");
      expect(h.components.flowcore!.status).toBe("degraded");
      expect(h.components.flowcore!.detail).toContain(cause);

      const second = await ingest(t, [pageview(3), crash(1), crash(2)]);
      await waitFor("backlog metric = 6", async () => (await metric(t.app, "analytics_flowcore_backlog")) === 6);
      expect(fake.events.length).toBe(0);

      await fake.recover();
      const all = [...first, ...second];
      await waitFor("every event delivered after recovery", () => uniqueIngestIds(fake.events).size === all.length);
      expect([...uniqueIngestIds(fake.events)].sort()).toEqual(all.sort());
      await waitFor("backlog metric back to 0", async () => (await metric(t.app, "analytics_flowcore_backlog")) === 0);
      expect((await health(t)).components.flowcore!.status).toBe("up");
    }, 30_000);
  }

  test("a crash between Flowcore accepting a batch and the acknowledgement never double-counts", async () => {
    const db = await createTestDatabase("fc_crash");
    cleanup.push(() => db.drop());
    const { fake, t } = await setup({ db, env: { FLOWCORE_EMIT_TIMEOUT_MS: "400" } });
    fake.loseAcks(); // Flowcore stores the batch, but the answer never reaches us
    const ids = await ingest(t, [pageview(1), pageview(2), customEvent(1), crash(1), crash(2)]);
    await waitFor("Flowcore stored a batch we never heard back about", () => fake.events.length > 0);
    await t.runtime.stop(); // the process dies with the batch sent but unacknowledged
    expect(await unsent(t)).toBe(ids.length);

    // Restart on the same database: the forwarder sends the unacknowledged batches again.
    await fake.recover();
    const t2 = await startTestApp({ env: flowcoreEnv(fake), db });
    cleanup.push(() => t2.stop());
    await waitFor("every row marked forwarded after the restart", async () => (await unsent(t2)) === 0);
    expect(fake.events.length).toBeGreaterThan(ids.length); // Flowcore holds duplicates now
    expect(uniqueIngestIds(fake.events).size).toBe(ids.length);

    // Flowcore delivers everything it holds, duplicates included: each event counts once.
    expect((await deliver(t2.app, fake.events)).every((s) => s === 200)).toBe(true);
    expect(await count(t2.sql, "pageviews")).toBe(2);
    expect(await count(t2.sql, "custom_events")).toBe(1);
    expect(await count(t2.sql, "crashes")).toBe(2);
    const [g] = await t2.sql`select count(*)::int as groups, sum(occurrences)::int as occurrences, sum(affected_visitors)::int as visitors from crash_groups`;
    expect(g).toEqual({ groups: 1, occurrences: 2, visitors: 2 });
  }, 30_000);

  test("two API instances on one database never ship the same rows", async () => {
    const db = await createTestDatabase("fc_two");
    cleanup.push(() => db.drop());
    const { fake, t: a } = await setup({ db });
    const b = await startTestApp({ env: flowcoreEnv(fake), db });
    cleanup.push(() => b.stop());
    const requests = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? crash(i) : i % 3 === 1 ? customEvent(i) : pageview(i)));
    const ids = (await Promise.all([ingest(a, requests.slice(0, 15)), ingest(b, requests.slice(15))])).flat();
    await waitFor("every row forwarded", async () => (await unsent(a)) === 0);
    expect(fake.events.length).toBe(ids.length);
    expect(uniqueIngestIds(fake.events).size).toBe(ids.length);
  }, 30_000);

  test("runtime.stop() returns promptly while Flowcore hangs; the unsent rows stay in the log", async () => {
    const { fake, t } = await setup({ env: { FLOWCORE_EMIT_TIMEOUT_MS: "60000" } });
    fake.hang();
    await ingest(t, [pageview(1), pageview(2)]);
    await waitFor("a request is in flight", () => fake.inFlight > 0);
    const t0 = performance.now();
    await t.runtime.stop();
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(await unsent(t)).toBe(2);
  }, 30_000);
});
