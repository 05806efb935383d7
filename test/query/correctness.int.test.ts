import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { StoredEvent } from "../../src/pathways/projector.ts";
import { runQuery, type QueryDeps } from "../../src/query/run-query.ts";
import { sealDueDays } from "../../src/query/seal-days.ts";
import { VISIT_DIMENSIONS, type Metric } from "../../src/query/shape.ts";
import { validateQuery } from "../../src/query/validate-query.ts";
import { bruteQuery, loadVisits, type BruteVisit } from "./brute-force.ts";
import { generateEvents, shuffled } from "./generate-events.ts";
import { startProjectionDb, type ProjectionDb } from "./projection-db.ts";

// Every metric and dimension, with and without filters, answered by the API (rollups or visits,
// whichever the planner picks) and computed brute-force from the raw rows: they must be equal.
const SITES = { "utc.example": "UTC", "berlin.example": "Europe/Berlin" } as Record<string, string>;
const start = new Date("2026-11-02T00:00:00Z");
const events: StoredEvent[] = Object.keys(SITES).flatMap((site, i) => generateEvents({ seed: 100 + i, visitors: 700, site, start, days: 4 }));

let p: ProjectionDb;
let visits: BruteVisit[];
let deps: QueryDeps;
beforeAll(async () => {
  p = await startProjectionDb("query_correctness");
  const list = shuffled(events, 3);
  for (let i = 0; i < list.length; i += 400) await p.projector.project(list.slice(i, i + 400));
  deps = { sql: p.database.sql, clock: () => new Date("2026-11-06T12:00:00Z"), timeZoneFor: async (s) => SITES[s] ?? "UTC" };
  visits = await loadVisits(p.database.sql);
}, 120_000);
afterAll(() => p.stop());

const BASE: Metric[] = ["visitors", "visits", "pageviews", "views_per_visit", "bounce_rate", "visit_duration", "events"];
const byDims = (rows: { dims: (string | null)[]; metrics: (number | null)[] }[]) => [...rows].sort((a, b) => (JSON.stringify(a.dims) < JSON.stringify(b.dims) ? -1 : 1));

async function check(site: string, body: Record<string, unknown>, range: [string, string] = ["2026-11-01", "2026-11-06"]) {
  const q = validateQuery({ site, date_range: range, ...body });
  const api = await runQuery(deps, q);
  const timeOnly = q.dimensions.length === 1 && q.dimensions[0]!.startsWith("time:");
  const got = byDims(api.results.map((r) => ({ dims: r.dimensions, metrics: r.metrics })).filter((r) => !timeOnly || r.metrics.some((m) => m !== 0)));
  const want = bruteQuery(visits, { site, tz: SITES[site]!, from: range[0], to: range[1], metrics: q.metrics, dimensions: q.dimensions, filters: q.filters });
  expect({ body, rows: got }).toEqual({ body, rows: want });
  return api;
}

const DIMS = [...VISIT_DIMENSIONS, "page", "event", "props:plan", "time:hour", "time:day", "time:week", "time:month"];
const FILTERS: [string, string, string[]][][] = [
  [["is", "country", ["DE"]]],
  [["is_not", "country", ["DE"]]],
  [["is", "country", ["DE", "FR"]]],
  [["contains", "page", ["/blog"]]],
  [["matches", "page", ["^/docs"]]],
  [["is", "page", ["/pricing"]]],
  [["is", "event", ["signup"]]],
  [["is", "props:plan", ["pro"]]],
  [
    ["is", "source", ["Google"]],
    ["is_not", "device", ["mobile"]],
  ],
  [["is", "channel", ["email"]]],
  [
    ["contains", "page", ["/blog"]],
    ["is", "event", ["download"]],
  ],
];

for (const site of Object.keys(SITES)) {
  describe(`${site} (${SITES[site]})`, () => {
    test("top stats, and the data has what the test is about", async () => {
      const api = await check(site, { metrics: BASE });
      const [visitors, visitCount, , , bounceRate] = api.results[0]!.metrics;
      expect(visitCount!).toBeGreaterThan(visitors!); // returning visitors after > 30 minutes
      expect(bounceRate!).toBeGreaterThan(0);
      expect(bounceRate!).toBeLessThan(100);
    });
    test("every dimension, every metric", async () => {
      for (const d of DIMS) await check(site, { metrics: d.startsWith("time:") ? BASE : [...BASE, "percentage"], dimensions: [d] });
    }, 60_000);
    test("every filter, alone and with dimensions", async () => {
      for (const filters of FILTERS) {
        await check(site, { metrics: BASE, filters });
        for (const d of ["page", "country", "source", "time:day", "entry_page"]) {
          if (d === "page" && filters.some((f) => f[1] === "event" || f[1].startsWith("props:"))) {
            await check(site, { metrics: BASE, dimensions: [d], filters });
            continue;
          }
          await check(site, { metrics: BASE, dimensions: [d], filters });
        }
      }
    }, 120_000);
    test("goals: conversion rate by event, by property, per day", async () => {
      await check(site, { metrics: ["visitors", "events", "conversion_rate"], dimensions: ["event"] });
      await check(site, { metrics: ["visitors", "events", "conversion_rate"], dimensions: ["props:plan"], filters: [["is", "event", ["signup"]]] });
      await check(site, { metrics: ["visitors", "conversion_rate"], dimensions: ["time:day"], filters: [["is", "event", ["signup"]]] });
      await check(site, { metrics: ["visitors", "events"], dimensions: ["event", "props:plan"] });
    });
    test("two dimensions, and one local day (midnight in the site's time zone)", async () => {
      await check(site, { metrics: BASE, dimensions: ["time:day", "country"] });
      await check(site, { metrics: BASE, dimensions: ["source", "time:day"] });
      for (const day of ["2026-11-02", "2026-11-03", "2026-11-04"]) await check(site, { metrics: BASE, dimensions: ["time:hour"] }, [day, day]);
    });
  });
}

describe("the planner", () => {
  test("UTC sites answer from the rollups when they can, others from visits, with the same numbers", async () => {
    const r = await runQuery(deps, validateQuery({ site: "utc.example", date_range: ["2026-11-01", "2026-11-06"], metrics: BASE, dimensions: ["source"] }));
    expect(r.meta.source).toBe("rollups");
    const b = await runQuery(deps, validateQuery({ site: "berlin.example", date_range: ["2026-11-01", "2026-11-06"], metrics: BASE, dimensions: ["source"] }));
    expect(b.meta.source).toBe("visits");
    const f = await runQuery(
      deps,
      validateQuery({ site: "utc.example", date_range: ["2026-11-01", "2026-11-06"], metrics: BASE, dimensions: ["page"], filters: [["is", "country", ["DE"]]] }),
    );
    expect(f.meta.source).toBe("filtered_rollups");
    const g = await runQuery(
      deps,
      validateQuery({
        site: "utc.example",
        date_range: ["2026-11-01", "2026-11-06"],
        metrics: ["visitors", "events"],
        dimensions: ["props:plan"],
        filters: [["is", "event", ["signup"]]],
      }),
    );
    expect(g.meta.source).toBe("rollups");
  });
});

describe("sealed days: filtered rollups answer the closed days, visits the rest", () => {
  const filtered: [string, string, string[]][][] = [[["is", "country", ["DE"]]], [["is", "source", ["Google"]]], [["is", "device", ["mobile"]]]];
  const checkAll = async () => {
    for (const filters of filtered)
      for (const d of ["page", "exit_page", "source", "country", "event"]) {
        const api = await check("utc.example", { metrics: [...BASE, "percentage"], dimensions: [d], filters });
        if (d !== filters[0]![1]) expect(api.meta.source).toBe("filtered_rollups");
      }
    // A property, and a goal's property, under an attribute filter.
    for (const extra of [[], [["is", "event", ["signup"]]]] as [string, string, string[]][][]) {
      const api = await check("utc.example", { metrics: BASE, dimensions: ["props:plan"], filters: [["is", "country", ["DE"]], ...extra] });
      expect(api.meta.source).toBe("filtered_rollups");
    }
  };

  test("the same numbers as brute force once the closed days are sealed (today is still read from visits)", async () => {
    const sealed = await sealDueDays(p.database.sql, deps.clock());
    expect(sealed.days).toBeGreaterThanOrEqual(4); // both sites, 2 to 5 November; the 6th is today
    const [{ n }] = (await p.database.sql`select count(*)::int as n from rollups_filtered where site = 'utc.example'`) as unknown as [{ n: number }];
    expect(n).toBeGreaterThan(0);
    expect((await sealDueDays(p.database.sql, deps.clock())).days).toBe(0); // nothing left to seal
    await checkAll();
  }, 120_000);

  test("a late event on a sealed day unseals it, and the numbers stay right until it is sealed again", async () => {
    const late = generateEvents({ seed: 999, visitors: 30, site: "utc.example", start: new Date("2026-11-03T00:00:00Z"), days: 1 });
    await p.projector.project(late);
    visits = await loadVisits(p.database.sql);
    const [{ n }] = (await p.database.sql`select count(*)::int as n from sealed_days where site = 'utc.example' and day = '2026-11-03'`) as unknown as [{ n: number }];
    expect(n).toBe(0);
    await checkAll();
    expect((await sealDueDays(p.database.sql, deps.clock())).days).toBeGreaterThanOrEqual(1);
    await checkAll();
  }, 120_000);
});
