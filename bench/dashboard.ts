/**
 * `bun run bench:dashboard [--pageviews 1000000] [--days 30] [--runs 5] [--reuse <database>]`
 *
 * How long the site dashboard takes to be complete in headless Chromium: every top stat shown,
 * the graph drawn and every panel filled (or saying it is empty). It seeds one site with the
 * traffic of `bun run bench:query` (bench/query-data.ts: 500 paths, 50 sources, 30 countries,
 * custom events, crashes) through the real projection path, starts the real app on it, logs in
 * and times, from the navigation's start (the browser's performance clock):
 *   - a 30-day dashboard load (fresh page, cached assets),
 *   - a filter (a click on the top country),
 *   - a range change (30 days → 7 days).
 * Medians over --runs. The default data set is 1 M page views (10 M, the figure, takes
 * this 2-core machine most of an hour to seed; pass --pageviews 10000000 to run it, or seed it
 * once with `bench:query --keep` and pass `--reuse <database>` with DATABASE_URL).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import type { Page } from "playwright-core";
import { buildApp } from "../src/app.ts";
import { parseConfig } from "../src/config.ts";
import { connectDatabase } from "../src/db/client.ts";
import { startEmbeddedPostgres } from "../src/db/embedded.ts";
import { lazyMigrator } from "../src/db/migrate.ts";
import { silentLogger } from "../src/log.ts";
import { createProjector } from "../src/pathways/projector.ts";
import { addDays } from "../src/query/date-range.ts";
import { sealDueDays } from "../src/query/seal-days.ts";
import { startRuntime } from "../src/runtime.ts";
import { BROWSER_UA, launchChromium } from "../test/support/browser.ts";
import { freePort } from "./app-process.ts";
import { dayOfTraffic } from "./query-data.ts";
import { seedBatches } from "./seed-batches.ts";

const { values: flags } = parseArgs({
  options: {
    pageviews: { type: "string", default: "1000000" },
    days: { type: "string", default: "30" },
    runs: { type: "string", default: "5" },
    reuse: { type: "string" },
  },
});
const total = Math.round(Number(flags.pageviews));
const days = Math.round(Number(flags.days));
const runs = Math.max(1, Math.round(Number(flags.runs)));
const say = (msg: string) => console.error(`[bench:dashboard] ${msg}`);
const SITE = "bench.example";
const EMAIL = "bench@example.com";
const PASSWORD = "bench password, long enough";

const tmp = mkdtempSync(join(tmpdir(), "analytics-bench-dashboard-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
let url = process.env.DATABASE_URL ?? null;
let stopPg: (() => Promise<void>) | null = null;
if (!url) {
  const server = await startEmbeddedPostgres({ dataDir: tmp, port: await freePort(), database: "postgres", log: silentLogger });
  stopPg = () => server.stop();
  url = server.url;
}
const admin = postgres(url, { max: 1, onnotice: () => {} });
// --reuse <database> (with DATABASE_URL): a database `bench:query --keep` seeded, timed as it is
// (a copy, so the benchmark's admin user and sessions do not stay in it).
if (flags.reuse && !process.env.DATABASE_URL) throw new Error("--reuse needs DATABASE_URL (the server holding that database)");
const dbName = `bench_dashboard_${Date.now().toString(36)}`;
if (flags.reuse) {
  say(`copying ${flags.reuse}`);
  await admin.unsafe(`create database "${dbName}" template "${flags.reuse}"`);
} else await admin.unsafe(`create database "${dbName}"`);
const dbUrl = Object.assign(new URL(url), { pathname: `/${dbName}` }).toString();

// 1. Seed through the projection path (as bench:query does), the last day being yesterday.
if (!flags.reuse) {
  const db = connectDatabase(dbUrl, { max: 4 });
  const migrator = lazyMigrator(db.sql, dbUrl);
  await migrator.ensure();
  const projector = createProjector(db.sql, migrator.ensure);
  const today = new Date().toISOString().slice(0, 10);
  let events = 0;
  const t0 = performance.now();
  for (let d = 0; d < days; d++) {
    const day = addDays(today, d - days);
    const list = dayOfTraffic(Date.parse(`${day}T00:00:00Z`), Math.floor(total / days), 2000 + d, SITE);
    await seedBatches(projector, list);
    events += list.length;
    say(`day ${d + 1}/${days}: ${events.toLocaleString("en")} events in ${Math.round((performance.now() - t0) / 1000)} s`);
  }
  // What the server's sealing job does in the background once a day is over: filtered rollups.
  const s0 = performance.now();
  const sealed = await sealDueDays(db.sql, new Date());
  say(`sealed ${sealed.days} closed days in ${((performance.now() - s0) / 1000).toFixed(1)} s`);
  await db.sql`vacuum analyze`;
  await db.sql.end();
}

// 2. The real app on that database, and a logged-in browser.
const config = parseConfig({ DATABASE_URL: dbUrl, ADMIN_EMAIL: EMAIL, ADMIN_PASSWORD: PASSWORD, RATE_LIMIT_RPS: "0", LOG_LEVEL: "warn" });
const runtime = await startRuntime(config, { log: silentLogger });
// The data as measured (with --reuse, whatever that database holds).
const [{ n: measuredPageviews }] = (await runtime.deps.database.sql`select count(*)::int as n from pageviews where site = ${SITE}`) as unknown as [{ n: number }];
const app = buildApp(runtime.deps);
app.listen({ port: 0, hostname: "127.0.0.1" });
const origin = `http://127.0.0.1:${app.server!.port}`;
const browser = await launchChromium();
if (!browser) throw new Error("Chromium is needed for this benchmark (apt-get install -y chromium)");
const ctx = await browser.newContext({ userAgent: BROWSER_UA, viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
await page.goto(`${origin}/login`);
await page.getByLabel("Email").fill(EMAIL);
await page.getByLabel("Password").fill(PASSWORD);
await page.getByRole("button", { name: "Log in" }).click();
await page.waitForURL(`${origin}/`);

/** True once nothing is loading, every stat has a value, the graph is drawn, every panel has rows or says it is empty. */
const complete = (before: string | null = null) => {
  if (before !== null && document.querySelector('[data-testid="stat-visitors"] .stat-value')?.textContent === before) return false;
  if (document.querySelector('[aria-busy="true"]')) return false;
  if (Array.from(document.querySelectorAll(".stat-value")).some((e) => e.textContent === "–")) return false;
  if (!document.querySelector('[data-testid="main-graph"] .uplot')) return false;
  const panels = Array.from(document.querySelectorAll(`[data-testid^="panel-"]`)).filter((p) => p.getAttribute("data-testid") !== "panel-props");
  return panels.length >= 5 && panels.every((p) => p.querySelector(".ranked-row, .empty, .error-note"));
};

async function timeLoad(p: Page): Promise<number> {
  await p.goto(`${origin}/sites/${SITE}`, { waitUntil: "commit" });
  await p.waitForFunction(complete, null, { polling: "raf", timeout: 60_000 });
  return p.evaluate(() => performance.now());
}

/** From a user action to a complete, changed screen (the visitors figure differs). */
async function timeChange(p: Page, act: () => Promise<void>): Promise<number> {
  const before = await p.locator('[data-testid="stat-visitors"] .stat-value').textContent();
  const t0 = await p.evaluate(() => performance.now());
  await act();
  await p.waitForFunction(complete, before, { polling: "raf", timeout: 60_000 });
  return (await p.evaluate(() => performance.now())) - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const loads: number[] = [];
const filters: number[] = [];
const ranges: number[] = [];
await timeLoad(page); // warm the asset cache and the database's buffers once
for (let r = 0; r < runs; r++) {
  loads.push(await timeLoad(page));
  filters.push(await timeChange(page, () => page.getByTestId("panel-locations").locator(".ranked-row button").first().click()));
  ranges.push(
    await timeChange(page, () =>
      page
        .getByTestId("period")
        .selectOption("7d")
        .then(() => undefined),
    ),
  );
  say(`run ${r + 1}/${runs}: load ${Math.round(loads.at(-1)!)} ms, filter ${Math.round(filters.at(-1)!)} ms, range ${Math.round(ranges.at(-1)!)} ms`);
}
const result = {
  pageviews: measuredPageviews,
  reused: flags.reuse ?? null,
  days,
  runs,
  medianMs: { load30d: Math.round(median(loads)), filter: Math.round(median(filters)), range: Math.round(median(ranges)) },
  targetsMs: { load30d: 1500, filter: 500, range: 500 },
};
console.log(JSON.stringify(result, null, 2));

await browser.close();
await runtime.stop();
app.server?.stop(true);
await admin.unsafe(`drop database "${dbName}" with (force)`).catch(() => {});
await admin.end();
await stopPg?.();
process.exit(0);
