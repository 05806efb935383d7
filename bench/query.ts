/**
 * `bun run bench:query [--pageviews 10000000] [--days 30] [--runs 7] [--out bench/results] [--keep | --reuse <database>]`
 *
 * Seeds one site with N page views over D days (plus custom events, crashes and 10 % noise from
 * other sites) through the real projection path — the projector's handlers, in transactions of
 * DELIVERY_BATCH_SIZE events as the delivery loop runs them (seed-batches.ts), visits and rollups included — then times every
 * query a dashboard load makes (top stats with comparison, graph, pages, entry and exit pages,
 * sources, countries, devices, browsers, goals, a property), each without and with a filter, at
 * 30 days and at 12 months. Runs on its own embedded PostgreSQL (or DATABASE_URL), with the
 * server's defaults. Missed targets are reported, not fatal. With DATABASE_URL, `--keep` leaves the
 * seeded database in place (its name is printed) and `--reuse <database>` times the queries on
 * such a database without seeding again (seeding 10 M events takes a quarter of an hour).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { connectDatabase } from "../src/db/client.ts";
import { startEmbeddedPostgres } from "../src/db/embedded.ts";
import { lazyMigrator } from "../src/db/migrate.ts";
import { silentLogger } from "../src/log.ts";
import { createProjector } from "../src/pathways/projector.ts";
import { addDays } from "../src/query/date-range.ts";
import { runQuery } from "../src/query/run-query.ts";
import { sealDueDays } from "../src/query/seal-days.ts";
import { validateQuery } from "../src/query/validate-query.ts";
import { freePort, ROOT } from "./app-process.ts";
import { dayOfTraffic } from "./query-data.ts";
import { seedBatches } from "./seed-batches.ts";

const { values: flags } = parseArgs({
  options: {
    pageviews: { type: "string", default: "10000000" },
    days: { type: "string", default: "30" },
    runs: { type: "string", default: "7" },
    out: { type: "string", default: join(ROOT, "bench", "results") },
    keep: { type: "boolean", default: false },
    reuse: { type: "string" },
  },
});
const total = Math.round(Number(flags.pageviews));
const days = Math.round(Number(flags.days));
const runs = Math.max(1, Math.round(Number(flags.runs)));
if (!(total > 0 && days > 0)) throw new Error("--pageviews and --days must be positive");
const say = (msg: string) => console.error(`[bench:query] ${msg}`);
const SITE = "bench.example";

const tmp = mkdtempSync(join(tmpdir(), "analytics-bench-query-"));
let stopServer: (() => Promise<void>) | null = null;
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => void (stopServer?.() ?? Promise.resolve()).finally(() => process.exit(130)));

let url = process.env.DATABASE_URL ?? null;
if (!url) {
  const server = await startEmbeddedPostgres({ dataDir: tmp, port: await freePort(), database: "postgres", log: silentLogger });
  stopServer = () => server.stop();
  url = server.url;
}
if ((flags.keep || flags.reuse) && !process.env.DATABASE_URL) throw new Error("--keep and --reuse need DATABASE_URL (a server that outlives this run)");
const admin = postgres(url, { max: 1, onnotice: () => {} });
const dbName = flags.reuse ?? `bench_query_${Date.now().toString(36)}`;
if (!flags.reuse) await admin.unsafe(`create database "${dbName}"`);
if (flags.keep) say(`seeding database ${dbName} (kept: --reuse ${dbName})`);
const dbUrl = Object.assign(new URL(url), { pathname: `/${dbName}` }).toString();
const db = connectDatabase(dbUrl, { max: 4 });
const migrator = lazyMigrator(db.sql, dbUrl);
await migrator.ensure();
const projector = createProjector(db.sql, migrator.ensure);

// 1. Seed through the projection path, one day at a time (the last day is yesterday, UTC).
const today = new Date().toISOString().slice(0, 10);
const first = addDays(today, -days);
let events = 0;
let projectSeconds = 0;
for (let d = 0; d < (flags.reuse ? 0 : days); d++) {
  const day = addDays(first, d);
  const list = dayOfTraffic(Date.parse(`${day}T00:00:00Z`), Math.floor(total / days), 1000 + d, SITE);
  const t0 = performance.now();
  await seedBatches(projector, list);
  projectSeconds += (performance.now() - t0) / 1000;
  events += list.length;
  say(`day ${d + 1}/${days}: ${events.toLocaleString("en")} events projected, ${Math.round(events / projectSeconds).toLocaleString("en")} events/s`);
}
// The seeding figures stay with the database, so a --reuse run reports them too.
if (!flags.reuse) {
  await db.sql`create table bench_seeding as select ${events}::bigint as events, ${projectSeconds}::float8 as seconds`;
  await db.sql`vacuum analyze`;
} else {
  const [seeded] = await db.sql<{ events: number; seconds: number }[]>`select events::float8 as events, seconds from bench_seeding`;
  events = seeded!.events;
  projectSeconds = seeded!.seconds;
}
const [counts] = await db.sql`
  select (select count(*) from pageviews where site = ${SITE})::int as pageviews, (select count(*) from visits where site = ${SITE})::int as visits,
         (select count(*) from custom_events where site = ${SITE})::int as custom_events, (select count(*) from crashes where site = ${SITE})::int as crashes,
         (select count(*) from rollups_daily)::int as rollup_rows, (select count(*) from pageviews)::int as all_pageviews`;
say(`seeded: ${JSON.stringify(counts)}`);

// 1b. Seal the closed days (what the server's sealing job does every 10 minutes): filtered rollups.
const seal0 = performance.now();
const sealing = await sealDueDays(db.sql, new Date());
const sealSeconds = (performance.now() - seal0) / 1000;
const [{ filteredRows }] = (await db.sql`select count(*)::int as "filteredRows" from rollups_filtered`) as unknown as [{ filteredRows: number }];
say(`sealed ${sealing.days} days in ${sealSeconds.toFixed(1)} s (${filteredRows.toLocaleString("en")} filtered rollup rows)`);

// 2. The dashboard's queries.
const last = addDays(today, -1);
const deps = { sql: db.sql, clock: () => new Date(`${last}T23:00:00Z`), timeZoneFor: async () => "UTC" };
const FILTER = [["is", "country", ["DE"]]];
const PANELS: [string, Record<string, unknown>][] = [
  ["top stats + compare", { metrics: ["visitors", "visits", "pageviews", "views_per_visit", "bounce_rate", "visit_duration"], compare: "previous_period" }],
  ["graph (per day)", { metrics: ["visitors", "pageviews"], dimensions: ["time:day"] }],
  ["top pages", { metrics: ["visitors", "pageviews"], dimensions: ["page"], limit: 10 }],
  ["entry pages", { metrics: ["visits", "visitors"], dimensions: ["entry_page"], limit: 10 }],
  ["exit pages", { metrics: ["visits", "visitors"], dimensions: ["exit_page"], limit: 10 }],
  ["sources", { metrics: ["visitors", "bounce_rate"], dimensions: ["source"], limit: 10 }],
  ["countries", { metrics: ["visitors", "percentage"], dimensions: ["country"], limit: 10 }],
  ["devices", { metrics: ["visitors", "percentage"], dimensions: ["device"] }],
  ["browsers", { metrics: ["visitors", "percentage"], dimensions: ["browser"], limit: 10 }],
  ["goals", { metrics: ["visitors", "events", "conversion_rate"], dimensions: ["event"] }],
  ["property (plan of signup)", { metrics: ["visitors", "events"], dimensions: ["props:plan"], filters: [["is", "event", ["signup"]]] }],
];

interface Timing {
  panel: string;
  range: string;
  filtered: boolean;
  medianMs: number;
  source: string;
  rows: number;
}
const timings: Timing[] = [];
async function time(panel: string, body: Record<string, unknown>, range: string, filtered: boolean) {
  const filters = [...((body.filters as unknown[]) ?? []), ...(filtered ? FILTER : [])];
  const q = validateQuery({ site: SITE, date_range: range, date: last, ...body, filters });
  const samples: number[] = [];
  const w0 = performance.now();
  let result = await runQuery(deps, q); // warm-up
  // A query slower than a second gets 3 runs: the median of a slow query needs fewer samples.
  const n = performance.now() - w0 > 1000 ? Math.min(3, runs) : runs;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    result = await runQuery(deps, q);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const medianMs = samples[Math.floor(samples.length / 2)]!;
  timings.push({ panel, range, filtered, medianMs, source: result.meta.source, rows: result.results.length });
  say(`${range} ${filtered ? "filtered  " : "unfiltered"} ${panel}: ${medianMs.toFixed(1)} ms (${result.meta.source})`);
}
for (const range of ["30d", "12mo"]) for (const filtered of [false, true]) for (const [panel, body] of PANELS) await time(panel, body, range, filtered);

await db.close();
if (!flags.keep && !flags.reuse) await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
await admin.end();
await stopServer?.();

// 3. Report.
const setMs = (range: string, filtered: boolean) => timings.filter((t) => t.range === range && t.filtered === filtered).reduce((a, t) => a + t.medianMs, 0);
const eventsPerSec = events / projectSeconds;
const targets = [
  [
    "every 30-day query ≤ 150 ms (median)",
    "≤ 150 ms",
    `${Math.max(...timings.filter((t) => t.range === "30d").map((t) => t.medianMs)).toFixed(1)} ms (slowest)`,
    timings.filter((t) => t.range === "30d").every((t) => t.medianMs <= 150),
  ],
  ["30-day dashboard set, unfiltered", "≤ 1 s", `${setMs("30d", false).toFixed(0)} ms`, setMs("30d", false) <= 1000],
  ["30-day dashboard set, filtered", "≤ 1 s", `${setMs("30d", true).toFixed(0)} ms`, setMs("30d", true) <= 1000],
  ["12-month dashboard set, unfiltered", "≤ 2 s", `${setMs("12mo", false).toFixed(0)} ms`, setMs("12mo", false) <= 2000],
  ["12-month dashboard set, filtered", "≤ 2 s", `${setMs("12mo", true).toFixed(0)} ms`, setMs("12mo", true) <= 2000],
  ["projection throughput (visits and rollups included)", "≥ 20,000 events/s", `${Math.round(eventsPerSec).toLocaleString("en")} events/s`, eventsPerSec >= 20_000],
] as const;
const md = [
  "# Query benchmark (`bun run bench:query`)",
  "",
  `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, Bun ${Bun.version}, embedded PostgreSQL as the server runs it (or DATABASE_URL); median of ${runs} runs after one warm-up, queries one after the other (a browser would send them in parallel).`,
  "",
  `Data: ${counts!.pageviews.toLocaleString("en")} page views of ${SITE} over ${days} days (${counts!.visits.toLocaleString("en")} visits, ${counts!.custom_events.toLocaleString("en")} custom events, ${counts!.crashes.toLocaleString("en")} crashes) plus ${(counts!.all_pageviews - counts!.pageviews).toLocaleString("en")} page views of 5 noise sites; ${counts!.rollup_rows.toLocaleString("en")} rollup rows, ${filteredRows.toLocaleString("en")} filtered rollup rows (${sealing.days} closed days sealed in ${sealSeconds.toFixed(1)} s, as the server does in the background). Projected ${events.toLocaleString("en")} events in ${projectSeconds.toFixed(0)} s: **${Math.round(eventsPerSec).toLocaleString("en")} events/s**. Filter: country is DE.`,
  "",
  "| Panel | 30 d | 30 d, filtered | 12 mo | 12 mo, filtered |",
  "| --- | ---: | ---: | ---: | ---: |",
  ...PANELS.map(([panel]) => {
    const cell = (range: string, filtered: boolean) => {
      const t = timings.find((x) => x.panel === panel && x.range === range && x.filtered === filtered)!;
      return `${t.medianMs.toFixed(1)} ms (${t.source})`;
    };
    return `| ${panel} | ${cell("30d", false)} | ${cell("30d", true)} | ${cell("12mo", false)} | ${cell("12mo", true)} |`;
  }),
  `| **whole set** | **${setMs("30d", false).toFixed(0)} ms** | **${setMs("30d", true).toFixed(0)} ms** | **${setMs("12mo", false).toFixed(0)} ms** | **${setMs("12mo", true).toFixed(0)} ms** |`,
  "",
  "| Target | wanted | measured | met |",
  "| --- | --- | --- | :---: |",
  ...targets.map(([name, want, got, ok]) => `| ${name} | ${want} | ${got} | ${ok ? "✓" : "✗"} |`),
  "",
].join("\n");
mkdirSync(flags.out!, { recursive: true });
writeFileSync(join(flags.out!, "query-latest.md"), md);
writeFileSync(
  join(flags.out!, "query-latest.json"),
  JSON.stringify(
    {
      measuredAt: new Date().toISOString(),
      pageviewsTarget: total,
      days,
      counts,
      sealing: { ...sealing, seconds: sealSeconds, filteredRows },
      events,
      projectSeconds,
      eventsPerSec,
      timings,
      targets,
    },
    null,
    2,
  ),
);
console.log(md);
