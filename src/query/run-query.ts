import type { Clock } from "../clock.ts";
import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { bucketLabels, previousPeriod, resolveRelative, todayIn } from "./date-range.ts";
import { change, metricValue, ZERO } from "./metrics.ts";
import { fetchCrashGroups, fetchVisitGroups, isUtc, type Source } from "./plan.ts";
import { emptySessionMetric, fetchSessionGroups } from "./sessions-sql.ts";
import { MAX_LIMIT, type Filter, type Query, type QueryResponse, type SessionMetric, type TimeDimension, type VitalsMetric } from "./shape.ts";
import { fetchVitalsGroups } from "./vitals-sql.ts";

export interface QueryDeps {
  sql: Sql;
  clock: Clock;
  /** The site's project time zone (UTC for a site without a project). */
  timeZoneFor(site: string): Promise<string>;
}

type Range = { from: string; to: string };
interface Row {
  dims: (string | null)[];
  /** null only for a Web Vitals percentile with no measurement. */
  metrics: (number | null)[];
}

const isEventLevel = (d: string) => d === "event" || d.startsWith("props:");
const key = (dims: (string | null)[]) => JSON.stringify(dims);

/** Runs a validated query: resolves its dates, asks the planner, computes metrics, compares. */
export async function runQuery(deps: QueryDeps, q: Query): Promise<QueryResponse> {
  const tz = await deps.timeZoneFor(q.site);
  const now = deps.clock();
  if (q.kind === "realtime") return realtime(deps, q, tz, now);

  const range = q.range ?? resolveRelative(q.relative!, q.anchor ?? todayIn(tz, now), q.relative === "all" ? await firstDay(deps.sql, q, tz) : null);
  const timeDim = q.dimensions.find((d) => d.startsWith("time:")) as TimeDimension | undefined;
  const buckets = timeDim ? bucketLabels(timeDim, range) : null;
  if (buckets && buckets.length > MAX_LIMIT)
    throw new AppError(400, "invalid_query", `date_range: ${buckets.length} ${timeDim} buckets; at most ${MAX_LIMIT} (use a coarser time dimension)`);

  return deps.sql.begin(async (t) => {
    const tx = t as unknown as Sql;
    // A bound on every query, whatever its filters (`matches` patterns included), and room for
    // the grouping of a large breakdown to stay in memory.
    await tx`select set_config('statement_timeout', '30s', true), set_config('work_mem', '64MB', true)`;
    const current = await compute(tx, q, tz, range);
    const previousRange = q.compare ? previousPeriod(range) : null;
    const previous = previousRange ? await compute(tx, q, tz, previousRange) : null;

    let rows = current.rows;
    if (buckets && q.dimensions.length === 1)
      rows = fill(
        rows,
        buckets,
        q.metrics.map((m) => emptyValue(q, m)),
      );
    const prevRows =
      previous && buckets && q.dimensions.length === 1
        ? fill(
            previous.rows,
            bucketLabels(timeDim!, previousRange!),
            q.metrics.map(() => 0),
          )
        : previous?.rows;
    rows = order(rows, q);
    const total = rows.length;
    const page = rows.slice(q.offset, q.offset + q.limit);

    let results: QueryResponse["results"] = page.map((r) => ({ dimensions: r.dims, metrics: r.metrics }));
    if (prevRows) {
      // Time buckets pair up by position (day 1 with day 1); other dimensions by value.
      const timeIndex = timeDim ? q.dimensions.indexOf(timeDim) : -1;
      const strip = (dims: (string | null)[]) => dims.filter((_, i) => i !== timeIndex);
      const byKey = new Map(prevRows.map((r) => [key(strip(r.dims)) + (timeIndex >= 0 ? `#${positionOf(r.dims[timeIndex]!, bucketLabels(timeDim!, previousRange!))}` : ""), r]));
      const currentBuckets = timeDim ? bucketLabels(timeDim, range) : [];
      results = page.map((r) => {
        const k = key(strip(r.dims)) + (timeIndex >= 0 ? `#${positionOf(r.dims[timeIndex]!, currentBuckets)}` : "");
        const before = byKey.get(k);
        const metrics = before?.metrics ?? q.metrics.map(() => 0);
        return { dimensions: r.dims, metrics: r.metrics, comparison: { metrics, change: q.metrics.map((m, i) => change(m, r.metrics[i]!, metrics[i]!)) } };
      });
    }
    return {
      results,
      meta: {
        site: q.site,
        time_zone: tz,
        date_range: [range.from, range.to],
        ...(previousRange ? { comparison_date_range: [previousRange.from, previousRange.to] } : {}),
        metrics: q.metrics,
        dimensions: q.dimensions,
        total_rows: total,
        source: current.source,
      },
    };
  });
}

async function compute(sql: Sql, q: Query, tz: string, range: Range): Promise<{ rows: Row[]; source: Source | "crashes" | "web_vitals" | "release_health" }> {
  if (q.kind === "sessions") {
    const metrics = q.metrics as SessionMetric[];
    const groups = await fetchSessionGroups(sql, q.site, tz, range, q.dimensions, q.filters, metrics);
    if (groups.length === 0 && q.dimensions.length === 0) groups.push({ dims: [], metrics: metrics.map(emptySessionMetric) });
    return { source: "release_health", rows: groups };
  }
  if (q.kind === "vitals") {
    const groups = await fetchVitalsGroups(sql, q.site, tz, range, q.dimensions, q.filters, q.metrics as VitalsMetric[]);
    if (groups.length === 0 && q.dimensions.length === 0) groups.push({ dims: [], metrics: q.metrics.map((m) => (m === "vitals_measurements" ? 0 : null)) });
    return { source: "web_vitals", rows: groups };
  }
  if (q.kind === "crashes") {
    const groups = await fetchCrashGroups(sql, q.site, tz, range, q.dimensions, q.filters);
    if (groups.length === 0 && q.dimensions.length === 0) groups.push({ dims: [], crashes: 0, crashVisitors: 0 });
    return { source: "crashes", rows: groups.map((g) => ({ dims: g.dims, metrics: q.metrics.map((m) => (m === "crashes" ? g.crashes : g.crashVisitors)) })) };
  }
  const { source, groups } = await fetchVisitGroups(sql, q.site, tz, range, q.dimensions, q.filters);
  if (groups.length === 0 && q.dimensions.length === 0) groups.push({ dims: [], sums: ZERO });

  let total: number | null = null;
  if (q.metrics.includes("percentage")) {
    const t = await fetchVisitGroups(sql, q.site, tz, range, [], q.filters);
    total = t.groups[0]?.sums.visitors ?? 0;
  }
  // conversion_rate: the same query without its event-level filters and dimensions, per time bucket.
  let denominators: Map<string, number> | null = null;
  const timeDims = q.dimensions.filter((d) => d.startsWith("time:"));
  if (q.metrics.includes("conversion_rate")) {
    const base: Filter[] = q.filters.filter((f) => !isEventLevel(f.dim));
    const d = await fetchVisitGroups(sql, q.site, tz, range, timeDims, base);
    denominators = new Map(d.groups.map((g) => [key(g.dims), g.sums.visitors]));
  }
  const timeIndexes = q.dimensions.flatMap((d, i) => (d.startsWith("time:") ? [i] : []));
  const rows = groups.map((g) => {
    const denominator = denominators?.get(key(timeIndexes.map((i) => g.dims[i]!))) ?? 0;
    return { dims: g.dims, metrics: q.metrics.map((m) => metricValue(m, g.sums, total, denominator)) };
  });
  return { rows, source };
}

/** An empty bucket measured nothing: no Web Vitals percentile or crash-free rate (null), zero of everything else. */
function emptyValue(q: Query, m: Query["metrics"][number]): number | null {
  return q.kind === "vitals" ? null : q.kind === "sessions" ? emptySessionMetric(m as SessionMetric) : 0;
}

/** Empty rows for the buckets nothing happened in (time as the only dimension). */
function fill(rows: Row[], buckets: string[], empty: (number | null)[]): Row[] {
  const have = new Map(rows.map((r) => [r.dims[0], r]));
  return buckets.map((b) => have.get(b) ?? { dims: [b], metrics: [...empty] });
}

function positionOf(label: string, buckets: string[]): number {
  return buckets.indexOf(label);
}

/** order_by, else time ascending then the first metric descending; ties by dimension values. */
function order(rows: Row[], q: Query): Row[] {
  const defaults: [string, "asc" | "desc"][] = [...q.dimensions.filter((d) => d.startsWith("time:")).map((d) => [d, "asc"] as [string, "asc"]), [q.metrics[0]!, "desc"]];
  const keys = [...q.orderBy, ...(q.orderBy.length ? [] : defaults), ...q.dimensions.map((d) => [d, "asc"] as [string, "asc"])];
  const value = (r: Row, name: string) => {
    const di = q.dimensions.indexOf(name);
    return di >= 0 ? r.dims[di] : r.metrics[q.metrics.indexOf(name as never)];
  };
  return [...rows].sort((a, b) => {
    for (const [name, dir] of keys) {
      const x = value(a, name);
      const y = value(b, name);
      if (x === y) continue;
      if (x === null || x === undefined) return 1; // no value sorts last either way
      if (y === null || y === undefined) return -1;
      const c = x < y ? -1 : 1;
      return dir === "asc" ? c : -c;
    }
    return 0;
  });
}

/** The local date of the site's first data ("all"). Rollup days are UTC days: start one earlier elsewhere. */
async function firstDay(sql: Sql, q: Query, tz: string): Promise<string | null> {
  const [r] =
    q.kind === "crashes"
      ? await sql`select to_char(min(occurred_at) at time zone ${tz}, 'YYYY-MM-DD') as d from crashes where site = ${q.site}`
      : q.kind === "vitals"
        ? await sql`select to_char(min(occurred_at) at time zone ${tz}, 'YYYY-MM-DD') as d from web_vitals where site = ${q.site}`.catch(() => [{ d: null }])
        : q.kind === "sessions"
          ? await sql`select to_char(min(hour) at time zone ${tz}, 'YYYY-MM-DD') as d from release_health where project_id in (select project_id from project_domains where domain = ${q.site} union all select id from projects where slug = ${q.site})`.catch(
              () => [{ d: null }],
            )
          : await sql`select to_char(min(day) - ${isUtc(tz) ? 0 : 1}::int, 'YYYY-MM-DD') as d from rollups_daily where site = ${q.site} and dim = 'total'`;
  return (r?.d as string | null) ?? null;
}

/** Visitors and page views in the last 5 minutes, from the raw rows. */
async function realtime(deps: QueryDeps, q: Query, tz: string, now: Date): Promise<QueryResponse> {
  const since = new Date(now.getTime() - 5 * 60_000);
  const [r] = await deps.sql`
    select count(distinct visitor_hash)::int as visitors, count(*) filter (where kind = 0)::int as pageviews from (
      select visitor_hash, 0 as kind from pageviews where site = ${q.site} and occurred_at > ${since} and occurred_at <= ${now}
      union all
      select visitor_hash, 1 from custom_events where site = ${q.site} and occurred_at > ${since} and occurred_at <= ${now}
    ) e`;
  return {
    results: [{ dimensions: [], metrics: q.metrics.map((m) => Number(r?.[m] ?? 0)) }],
    meta: { site: q.site, time_zone: tz, date_range: [since.toISOString(), now.toISOString()], metrics: q.metrics, dimensions: [], total_rows: 1, source: "events" },
  };
}
