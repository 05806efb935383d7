import { afterAll, expect, test } from "bun:test";
import { createDelivery } from "../../src/eventlog/delivery.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { countRows } from "../support/count-rows.ts";
import { createTestDatabase } from "../support/postgres.ts";

const db = await createTestDatabase("restart");
afterAll(() => db.drop());

async function burst(t: TestApp, n: number, tag: string): Promise<number> {
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) => t.post("/api/pageview", { site: "example.com", pathname: `/${tag}/${i}` }, { ip: `10.0.${i % 250}.${i % 7}` }).then((r) => r.status)),
  );
  expect(results.every((s) => s === 202 || s === 503)).toBe(true);
  return results.filter((s) => s === 202).length;
}

test("restart while events are being delivered → every accepted event projected exactly once", async () => {
  // Instance A accepts a burst, then delivers it in small batches. Once some (not all) of it is
  // projected, its database sessions are killed (a crash as Postgres sees it: the open delivery
  // transaction rolls back) and it stops.
  const a = await startTestApp({ db, delivery: false });
  const acceptedA = await burst(a, 600, "a");
  expect(acceptedA).toBe(600);
  const { sql } = a.runtime.deps.database;
  // The projector holds its third batch's transaction open until the sessions are killed, so the
  // kill always lands mid-delivery, however fast the machine (no race with the loop finishing).
  const real = a.runtime.deps.projector;
  let batches = 0;
  let holding: () => void = () => {};
  const held = new Promise<void>((resolve) => (holding = resolve));
  const projector = {
    ...real,
    async projectIn(tx: Parameters<typeof real.projectIn>[0], events: Parameters<typeof real.projectIn>[1]) {
      const result = await real.projectIn(tx, events);
      if (++batches === 3) {
        holding();
        await tx`select pg_sleep(30)`; // ended by the kill below
      }
      return result;
    },
  };
  const delivery = createDelivery({
    sql,
    schemaReady: async () => true,
    projector,
    metrics: a.runtime.deps.metrics,
    log: a.runtime.deps.log,
    batchSize: 25,
    settleMs: 5,
    name: "embedded",
  });
  delivery.start();
  await held;
  const [killed] =
    await a.sql`select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity where datname = ${db.name} and application_name = 'private-analytics' and state <> 'idle') k`;
  // The scenario happened: sessions were killed while part of the log was still unprojected.
  expect(killed!.n).toBeGreaterThan(0);
  const projectedAtKill = await countRows(a.sql, "pageviews");
  expect(projectedAtKill).toBeLessThan(acceptedA);
  await delivery.stop();
  await a.stop();

  // Instance B resumes from the stored cursor and takes more traffic.
  const b = await startTestApp({ db });
  try {
    const acceptedB = await burst(b, 200, "b");
    const accepted = acceptedA + acceptedB;
    expect(accepted).toBeGreaterThan(600);
    expect(await b.waitForRows("pageviews", accepted, 20_000)).toBe(accepted);
    expect(await countRows(b.sql, "event_log")).toBe(accepted); // 202 ⇔ in the log
    const [dupes] = await b.sql`select count(*)::int as n from (select pathname from pageviews group by pathname having count(*) > 1) d`;
    expect(dupes!.n).toBe(0);
    const [missing] = await b.sql`select count(*)::int as n from event_log l left join pageviews p on p.id = l.ingest_id where p.id is null`;
    expect(missing!.n).toBe(0);
  } finally {
    await b.stop();
  }
}, 60_000);
