import { afterAll, beforeAll, expect, test } from "bun:test";
import { runQuery } from "../../src/query/run-query.ts";
import { applyRetention } from "../../src/query/retention.ts";
import { validateQuery } from "../../src/query/validate-query.ts";
import { CRASH_FLOW, CRASH_REPORTED } from "../../src/pathways/contracts/index.ts";
import { generateEvents } from "./generate-events.ts";
import { startProjectionDb, type ProjectionDb } from "./projection-db.ts";

let p: ProjectionDb;
const NOW = new Date("2026-11-20T10:00:00Z");
beforeAll(async () => {
  p = await startProjectionDb("retention");
  // Page views and events on 2026-11-01..04 (old) and 2026-11-18..19 (recent).
  const events = [
    ...generateEvents({ seed: 5, visitors: 60, start: new Date("2026-11-01T00:00:00Z"), days: 4 }),
    ...generateEvents({ seed: 6, visitors: 40, start: new Date("2026-11-18T00:00:00Z"), days: 2 }),
  ];
  await p.projector.project(events);
  const crash = (at: string, id: string) => ({
    flowType: CRASH_FLOW,
    eventType: CRASH_REPORTED,
    payload: {
      ingestId: id,
      site: "example.com",
      pathname: "/",
      referrer: null,
      referrerHost: null,
      referrerSource: null,
      browser: null,
      browserVersion: null,
      os: null,
      osVersion: null,
      deviceType: "desktop",
      visitorHash: "0".repeat(32),
      occurredAt: at,
      errorType: "Error",
      message: "boom",
      frames: [],
      fingerprint: { version: "v1", hash: "a".repeat(64) },
      release: null,
      platform: null,
      severity: "error",
      breadcrumbs: null,
      context: null,
    },
  });
  await p.projector.project([crash("2026-07-01T00:00:00Z", "00000000-0000-4000-a000-000000000001"), crash("2026-11-19T00:00:00Z", "00000000-0000-4000-a000-000000000002")]);
}, 60_000);
afterAll(() => p.stop());

test("raw rows past RETENTION_DAYS and crashes past CRASH_RETENTION_DAYS go; rollups stay and still answer", async () => {
  const sql = p.database.sql;
  const deps = { sql, clock: () => NOW, timeZoneFor: async () => "UTC" };
  const ask = () => runQuery(deps, validateQuery({ site: "example.com", metrics: ["visitors", "pageviews"], date_range: ["2026-11-01", "2026-11-19"] }));
  const before = await ask();
  const r = await applyRetention(sql, { retentionDays: 10, crashRetentionDays: 90 }, NOW);
  expect(r.pageviews).toBeGreaterThan(0);
  expect(r.visits).toBeGreaterThan(0);
  expect(r.crashes).toBe(1);
  const [left] = await sql`select (select min(occurred_at) from pageviews) as pv, (select min(started_at) from visits) as v, (select count(*)::int from crashes) as c`;
  expect(new Date(left!.pv).getTime()).toBeGreaterThanOrEqual(Date.parse("2026-11-10T00:00:00Z"));
  expect(new Date(left!.v).getTime()).toBeGreaterThanOrEqual(Date.parse("2026-11-10T00:00:00Z"));
  expect(left!.c).toBe(1);
  // Old totals are still readable from the rollups.
  const after = await ask();
  expect(after.meta.source).toBe("rollups");
  expect(after.results).toEqual(before.results);
  // Running it again removes nothing more.
  const again = await applyRetention(sql, { retentionDays: 10, crashRetentionDays: 90 }, NOW);
  expect(again.pageviews + again.visits + again.crashes).toBe(0);
});

test("the event log loses only old, projected traffic events: triage and other event types stay", async () => {
  const sql = p.database.sql;
  const old = "2026-10-01T00:00:00Z";
  const rows = [
    ["00000000-0000-4000-b000-000000000001", "pageview.v0", "pageview.tracked.v0"],
    ["00000000-0000-4000-b000-000000000002", "crash.v0", "crash-group.status-changed.v0"],
    ["00000000-0000-4000-b000-000000000003", "release-health.v0", "release-health.sessions-counted.v0"],
  ];
  for (const [id, flow, type] of rows) {
    await sql`insert into event_log (ingest_id, flow_type, event_type, payload, created_at) values (${id!}, ${flow!}, ${type!}, '{}'::jsonb, ${old})`;
  }
  await sql`insert into projection_cursor (name, position) values ('embedded', (select max(seq) from event_log))
            on conflict (name) do update set position = excluded.position`;
  await applyRetention(sql, { retentionDays: 10, crashRetentionDays: 90 }, NOW);
  const left = (await sql`select event_type from event_log where ingest_id::text like '00000000-0000-4000-b000-%' order by event_type`).map((r) => r.event_type);
  expect(left).toEqual(["crash-group.status-changed.v0", "release-health.sessions-counted.v0"]);
});
