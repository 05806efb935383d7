import type { Sql } from "../db/client.ts";
import { inTransaction } from "../db/client.ts";
import { EVENT_PROPS } from "../pathways/handlers/rollup-delta.ts";
import { lockDays } from "../pathways/handlers/unseal-days.ts";
import { VISIT_ATTRIBUTES, type VisitAttribute } from "../pathways/handlers/visit-dimensions.ts";

/**
 * The visit attributes `rollups_filtered` is kept for as a filter: the ones a dashboard user
 * clicks to filter by, with a bounded number of values a day. High-cardinality attributes
 * (referrer URLs, entry and exit pages, versions, utm_term/utm_content) and page, event and
 * property filters are answered from `visits` instead.
 */
export const FILTER_DIMS = ["source", "channel", "country", "device", "browser", "os", "utm_source", "utm_medium", "utm_campaign"] as const satisfies readonly VisitAttribute[];
/**
 * The breakdowns kept under each filter: the attributes a dashboard panel lists, pages, event
 * names and properties (`props:<key>`, and `event+props:<key>` for a goal's property; versions and
 * utm_term/utm_content break down from `visits`).
 */
const BREAKDOWN_ATTRIBUTES = [
  "entry_page",
  "exit_page",
  "source",
  "referrer",
  "channel",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "country",
  "browser",
  "os",
  "device",
] as const satisfies readonly VisitAttribute[];
export const BREAKDOWN_DIMS: readonly string[] = [...BREAKDOWN_ATTRIBUTES, "page", "event"];

/** A day is sealed once it has been over for this long (events still in flight have landed). */
export const SEAL_AFTER_MS = 60 * 60_000;

/** A visit as the sealing reads it: the sums, the attributes (by API name), the counters. */
interface DayVisit {
  visitor_hash: string;
  pageviews: number;
  events: number;
  bounce: boolean;
  duration_ms: number;
  pages: Record<string, number>;
  event_names: Record<string, number>;
  props: Record<string, Record<string, Record<string, number>>>;
  [attribute: string]: unknown;
}

/** One row of `rollups_filtered` being summed. */
interface Cell {
  dim: string;
  value: string;
  visitors: number;
  visits: number;
  pageviews: number;
  bounces: number;
  duration_ms: number;
  events: number;
  /** The visitor (its number in reading order) last counted in `visitors`. */
  seen: number;
}

/**
 * A day's filtered rollups, summed from its visits read in visitor order: every visit contributes
 * under each filter value it has (FILTER_DIMS; a missing value is never a filter) to each
 * breakdown value it has (BREAKDOWN_DIMS, other than the filter's own dimension, which
 * `rollups_daily` answers). The sums follow visits-sql.ts exactly: a page row counts that page's
 * views, an event row that event's count, every other row the visit's page views and events, and
 * a visitor counts once per row however many of their visits it holds (each row remembers the
 * last visitor it counted; visits come grouped by visitor).
 *
 * Done here rather than in SQL: about a hundred rows per visit (ten million a day at 10 M page
 * views a month) cost PostgreSQL's executor several microseconds each, plus a per-visitor grouping
 * that spills to disk.
 */
export class DayAggregator {
  private readonly byFilter = new Map<string, Map<string, Map<string, Cell>>>();
  private visitor: string | null = null;
  private visitorNo = 0;
  // The current visit's breakdown rows, reused from visit to visit.
  private readonly dims: string[] = [];
  private readonly keys: string[] = [];
  private readonly values: string[] = [];
  private readonly pvs: number[] = [];
  private readonly evs: number[] = [];

  add(v: DayVisit): void {
    if (v.visitor_hash !== this.visitor) {
      this.visitor = v.visitor_hash;
      this.visitorNo++;
    }
    const { dims, keys, values, pvs, evs } = this;
    let n = 0;
    const row = (dim: string, value: string, pv: number, ev: number) => {
      dims[n] = dim;
      keys[n] = `${dim}\u0001${value}`;
      values[n] = value;
      pvs[n] = pv;
      evs[n] = ev;
      n++;
    };
    for (const dim of BREAKDOWN_ATTRIBUTES) row(dim, (v[dim] as string | null) ?? "", v.pageviews, v.events);
    for (const page in v.pages) row("page", page, v.pages[page]!, v.events);
    for (const name in v.event_names) row("event", name, v.pageviews, v.event_names[name]!);
    // Properties, as rollups_daily keeps them: per key over every event name (`props:<key>`),
    // and per (event name, value) (`event+props:<key>`, value `[name, value]`) for a goal's property.
    let byProp: Map<string, Map<string, number>> | null = null;
    for (const name in v.props) {
      const keys = v.props[name]!;
      for (const key in keys) {
        const counts = keys[key]!;
        for (const value in counts) {
          const c = counts[value]!;
          row(`${EVENT_PROPS}${key}`, JSON.stringify([name, value]), v.pageviews, c);
          byProp ??= new Map();
          let perKey = byProp.get(key);
          if (!perKey) byProp.set(key, (perKey = new Map()));
          perKey.set(value, (perKey.get(value) ?? 0) + c);
        }
      }
    }
    if (byProp) for (const [key, perKey] of byProp) for (const [value, c] of perKey) row(`props:${key}`, value, v.pageviews, c);
    const bounce = v.bounce ? 1 : 0;
    const duration = v.duration_ms;
    const who = this.visitorNo;
    for (const fdim of FILTER_DIMS) {
      const fvalue = v[fdim] as string | null;
      if (fvalue === null || fvalue === "") continue;
      let byValue = this.byFilter.get(fdim);
      if (!byValue) this.byFilter.set(fdim, (byValue = new Map()));
      let cells = byValue.get(fvalue);
      if (!cells) byValue.set(fvalue, (cells = new Map()));
      for (let i = 0; i < n; i++) {
        if (dims[i] === fdim) continue;
        let c = cells.get(keys[i]!);
        if (!c) cells.set(keys[i]!, (c = { dim: dims[i]!, value: values[i]!, visitors: 0, visits: 0, pageviews: 0, bounces: 0, duration_ms: 0, events: 0, seen: 0 }));
        if (c.seen !== who) {
          c.seen = who;
          c.visitors++;
        }
        c.visits++;
        c.pageviews += pvs[i]!;
        c.bounces += bounce;
        c.duration_ms += duration;
        c.events += evs[i]!;
      }
    }
  }

  /** The rows, as (fdim, fvalue, dim, value, visitors, visits, pageviews, bounces, duration_ms, events). */
  *rows(): Generator<[string, string, string, string, number, number, number, number, number, number]> {
    for (const [fdim, byValue] of this.byFilter)
      for (const [fvalue, cells] of byValue)
        for (const c of cells.values()) yield [fdim, fvalue, c.dim, c.value, c.visitors, c.visits, c.pageviews, c.bounces, c.duration_ms, c.events];
  }
}

/** The visit columns the sealing reads, as API dimension names. */
const READ_COLUMNS = [
  "visitor_hash",
  "pageviews",
  "events",
  "bounce",
  "duration_ms::float8 as duration_ms",
  "pages",
  "event_names",
  "props",
  ...[...new Set([...FILTER_DIMS, ...BREAKDOWN_ATTRIBUTES])].map((d) => `${VISIT_ATTRIBUTES[d]} as ${d}`),
].join(", ");
const INSERT_CHUNK = 20_000;

/**
 * Seals one day: under the day's lock (the projection takes it before un-sealing a day it
 * changes), sums its visits (DayAggregator), replaces its filtered rollups and marks it sealed. Returns the rows written, or
 * null when the day was sealed already.
 */
export async function sealDay(sql: Sql, site: string, day: string): Promise<number | null> {
  return inTransaction(sql, async (tx) => {
    await lockDays(tx, [{ site, day }]);
    const [done] = await tx`select 1 from sealed_days where site = ${site} and day = ${day}::date`;
    if (done) return null;
    const sums = new DayAggregator();
    // In chunks of 500 visits (~10 ms of work), in visitor order: the server keeps answering
    // between chunks, and memory stays bounded.
    await tx
      .unsafe(
        `select ${READ_COLUMNS} from visits
         where site = $1 and started_at >= ($2::date)::timestamp at time zone 'UTC' and started_at < ($2::date + 1)::timestamp at time zone 'UTC'
         order by visitor_hash`,
        [site, day],
      )
      .cursor(500, (rows) => {
        for (const r of rows) sums.add(r as unknown as DayVisit);
      });
    await tx`delete from rollups_filtered where site = ${site} and day = ${day}::date`;
    let written = 0;
    let chunk: unknown[][] = [];
    const flush = async () => {
      if (chunk.length === 0) return;
      const r = await tx`
        insert into rollups_filtered (site, day, fdim, fvalue, dim, value, visitors, visits, pageviews, bounces, duration_ms, events)
        select ${site}, ${day}::date, x.* from jsonb_to_recordset(${tx.json(chunk.map(([fdim, fvalue, dim, value, visitors, visits, pageviews, bounces, duration_ms, events]) => ({ fdim, fvalue, dim, value, visitors, visits, pageviews, bounces, duration_ms, events })) as never)})
          as x(fdim text, fvalue text, dim text, value text, visitors int, visits int, pageviews int, bounces int, duration_ms bigint, events int)`;
      written += r.count;
      chunk = [];
    };
    for (const row of sums.rows()) if (chunk.push(row) >= INSERT_CHUNK) await flush();
    await flush();
    await tx`insert into sealed_days (site, day) values (${site}, ${day}::date)`;
    return written;
  });
}

/**
 * The days with traffic that are over (by SEAL_AFTER_MS) and not sealed, newest first (after an
 * upgrade or a backfill, the days a dashboard shows first get fast first), at most `limit`. A day
 * has traffic when it has a `total` row in `rollups_daily`: one row per site and day, read through
 * the rollups' primary key one site at a time, far cheaper than the days of every visit.
 */
export async function unsealedDays(sql: Sql, now: Date, limit = 1000): Promise<{ site: string; day: string }[]> {
  const before = new Date(now.getTime() - SEAL_AFTER_MS).toISOString().slice(0, 10);
  return (await sql`
    with recursive sites as (
      (select site from rollups_daily order by site limit 1)
      union all
      select (select r.site from rollups_daily r where r.site > s.site order by r.site limit 1) from sites s where s.site is not null
    ),
    days as (
      select s.site, r.day from sites s
      join rollups_daily r on r.site = s.site and r.dim = 'total' and r.value = '' and r.day < ${before}::date
      where s.site is not null and r.visits > 0
    )
    select site, to_char(day, 'YYYY-MM-DD') as day from days
    where not exists (select 1 from sealed_days x where x.site = days.site and x.day = days.day)
    order by day desc, site limit ${limit}`) as unknown as { site: string; day: string }[];
}

/** Seals every day that is due, one transaction per day, until `stopped()`; returns how many days and rows it wrote. */
export async function sealDueDays(sql: Sql, now: Date, stopped: () => boolean = () => false): Promise<{ days: number; rows: number }> {
  let days = 0;
  let rows = 0;
  for (const d of await unsealedDays(sql, now)) {
    if (stopped()) break;
    const n = await sealDay(sql, d.site, d.day);
    if (n === null) continue;
    days++;
    rows += n;
  }
  return { days, rows };
}
