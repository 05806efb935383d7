import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { StoredEvent } from "../../src/pathways/projector.ts";
import { generateEvents, shuffled } from "./generate-events.ts";
import { startProjectionDb, type ProjectionDb } from "./projection-db.ts";

// Visits and rollups must be a function of the set of events alone: the same numbers whatever the
// delivery order, batch size, duplication, interleaving of event types, or concurrency.
const events = generateEvents({ seed: 42, visitors: 120, start: new Date("2026-11-02T00:00:00Z"), days: 3 });

async function snapshot(p: ProjectionDb) {
  const sql = p.database.sql;
  const visits = await sql`
    select site, visitor_hash, started_at, ended_at, entry_page, exit_page, pageviews, events, duration_ms, bounce,
           source, channel, country, browser, device_type, pages, event_names, props
    from visits order by site, visitor_hash, started_at`;
  const rollups = await sql`
    select site, day, dim, value, visitors, visits, pageviews, bounces, duration_ms, events
    from rollups_daily where visitors <> 0 or visits <> 0 or pageviews <> 0 or events <> 0 order by site, dim, day, value`;
  return JSON.stringify({ visits, rollups });
}

async function projectInBatches(p: ProjectionDb, list: StoredEvent[], size: number) {
  for (let i = 0; i < list.length; i += size) await p.projector.project(list.slice(i, i + size));
}

describe("visits are independent of delivery order", () => {
  let reference: string;
  let p: ProjectionDb;
  beforeAll(async () => {
    p = await startProjectionDb("visits_order");
    const inOrder = [...events].sort((a, b) => String((a.payload as { occurredAt: string }).occurredAt).localeCompare((b.payload as { occurredAt: string }).occurredAt));
    await projectInBatches(p, inOrder, 500);
    reference = await snapshot(p);
  }, 60_000);
  afterAll(() => p.stop());

  test("the reference has visits, bounces, multi-visit visitors and rollups", async () => {
    const [s] = await p.database.sql`
      select count(*)::int as visits, count(*) filter (where bounce)::int as bounces,
             count(distinct visitor_hash)::int as visitors, (select count(*)::int from rollups_daily) as rollups
      from visits`;
    expect(s!.visits).toBeGreaterThan(s!.visitors); // some visitors came back after > 30 min
    expect(s!.bounces).toBeGreaterThan(0);
    expect(s!.rollups).toBeGreaterThan(50);
  });

  const cases: [string, (p: ProjectionDb) => Promise<void>][] = [
    ["shuffled, one event per transaction", (q) => projectInBatches(q, shuffled(events, 7), 1)],
    ["reverse order in batches of 37", (q) => projectInBatches(q, [...events].reverse(), 37)],
    ["every event twice, shuffled, batches of 100", (q) => projectInBatches(q, shuffled([...events, ...events], 9), 100)],
    [
      "all custom events before all page views (types interleaved as Flowcore may)",
      (q) => projectInBatches(q, [...events.filter((e) => e.eventType.startsWith("custom")), ...events.filter((e) => e.eventType.startsWith("pageview"))], 50),
    ],
    [
      "times given to the microsecond (projected to the millisecond), batches of 100",
      (q) =>
        projectInBatches(
          q,
          events.map((e) => ({ ...e, payload: { ...(e.payload as object), occurredAt: (e.payload as { occurredAt: string }).occurredAt.replace(/Z$/, "789Z") } })),
          100,
        ),
    ],
    [
      "concurrent single-event deliveries on 6 connections, then a full replay",
      async (q) => {
        const list = shuffled(events, 11);
        let next = 0;
        const worker = async () => {
          while (next < list.length) {
            const e = list[next++]!;
            await q.projector.project([e]);
          }
        };
        await Promise.all(Array.from({ length: 6 }, worker));
        await projectInBatches(q, events, 250); // replay: every event again
      },
    ],
  ];
  for (const [name, run] of cases) {
    test(name, async () => {
      const q = await startProjectionDb("visits_order_case");
      try {
        await run(q);
        expect(await snapshot(q)).toBe(reference);
      } finally {
        await q.stop();
      }
    }, 120_000);
  }
});
