import { afterAll, expect, test } from "bun:test";
import { connectDatabase } from "../../src/db/client.ts";
import { lazyMigrator } from "../../src/db/migrate.ts";
import { createDbClock } from "../../src/eventlog/db-clock.ts";
import { createEventLog } from "../../src/eventlog/local-log.ts";
import { createMetrics } from "../../src/metrics/registry.ts";
import { createTestDatabase } from "../support/postgres.ts";

const db = await createTestDatabase("commit-clock");
const database = connectDatabase(db.url, { max: 3 });
afterAll(async () => {
  await database.close();
  await db.drop();
});

const entry = (n: number) => ({ ingestId: crypto.randomUUID(), flowType: "pageview.0", eventType: "pageview.tracked.v0", payload: { pathname: `/clock/${n}` } });

test("the database clock's offset is measured: about zero on one machine, and it follows a skewed app clock", async () => {
  const same = createDbClock(database.sql);
  await same.refresh();
  expect(Math.abs(same.offsetMs)).toBeLessThan(200);
  const behind = createDbClock(database.sql, { now: () => Date.now() - 60_000 });
  await behind.refresh();
  expect(behind.offsetMs).toBeGreaterThan(59_500);
  expect(behind.offsetMs).toBeLessThan(60_500);
});

test("commit deadlines hold with an app clock a minute off the database's, either way", async () => {
  const migrator = lazyMigrator(database.sql, db.url);
  for (const skew of [-60_000, 60_000]) {
    // Without the offset, a clock a minute behind would have the database refuse every write as
    // past its deadline (and a minute ahead would let late writes through).
    const log = createEventLog(database.sql, migrator.ensure, createMetrics(), { commitTimeoutMs: 2000, now: () => Date.now() + skew });
    await Promise.all([1, 2, 3].map((n) => log.append(entry(skew + n))));
  }
  const [{ n }] = (await database.sql`select count(*)::int as n from event_log where payload->>'pathname' like '/clock/%'`) as unknown as [{ n: number }];
  expect(n).toBe(6);
});
