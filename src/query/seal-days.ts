import type { Sql } from "../db/client.ts";
import { inTransaction } from "../db/client.ts";
import { lockDays } from "../pathways/handlers/unseal-days.ts";
import { VISIT_ATTRIBUTES, type VisitAttribute } from "../pathways/handlers/visit-dimensions.ts";

/**
 * The visit attributes `rollups_filtered` is kept for as a filter: the ones a dashboard user
 * clicks to filter by, with a bounded number of values a day. High-cardinality attributes
 * (referrer URLs, entry and exit pages, versions, utm_term/utm_content) and page, event and
 * property filters are answered from `visits` instead.
 */
export const FILTER_DIMS = ["source", "channel", "country", "device", "browser", "os", "utm_source", "utm_medium", "utm_campaign"] as const satisfies readonly VisitAttribute[];
/** The breakdowns kept under each filter: every visit attribute, pages and event names. */
export const BREAKDOWN_DIMS: readonly string[] = [...Object.keys(VISIT_ATTRIBUTES), "page", "event"];

/** A day is sealed once it has been over for this long (events still in flight have landed). */
export const SEAL_AFTER_MS = 60 * 60_000;

const col = (dim: VisitAttribute) => `v.${VISIT_ATTRIBUTES[dim]}`;

/**
 * One (site, UTC day) → its filtered rollups, from `visits`, in one statement: every visit
 * contributes under each filter value it has (FILTER_DIMS) to each breakdown value it has
 * (BREAKDOWN_DIMS, other than the filter's own dimension, which `rollups_daily` answers). The
 * sums follow visits-sql.ts exactly: a page row counts that page's views, an event row that
 * event's count, every other row the visit's page views and events; a visitor counts once per
 * row (the inner grouping is per visitor).
 */
const SEAL_DAY = `
  insert into rollups_filtered (site, day, fdim, fvalue, dim, value, visitors, visits, pageviews, bounces, duration_ms, events)
  select $1, $2::date, fdim, fvalue, dim, value, count(*), sum(visits), sum(pv), sum(b), sum(dur), sum(ev)
  from (
    select f.fdim, f.fvalue, d.dim, d.value, v.visitor_hash, count(*) as visits, sum(d.pv) as pv, sum(v.bounce::int) as b,
           sum(v.duration_ms) as dur, sum(d.ev) as ev
    from visits v
    cross join lateral (values ${FILTER_DIMS.map((d) => `('${d}', coalesce(${col(d)}, ''))`).join(", ")}) f(fdim, fvalue)
    cross join lateral (
      select x.dim, x.value, v.pageviews as pv, v.events as ev
      from (values ${Object.keys(VISIT_ATTRIBUTES)
        .map((d) => `('${d}', coalesce(${col(d as VisitAttribute)}, ''))`)
        .join(", ")}) x(dim, value)
      union all select 'page', p.key, p.value::int, v.events from jsonb_each_text(v.pages) p
      union all select 'event', e.key, v.pageviews, e.value::int from jsonb_each_text(v.event_names) e
    ) d
    where v.site = $1 and v.started_at >= ($2::date)::timestamp at time zone 'UTC' and v.started_at < ($2::date + 1)::timestamp at time zone 'UTC'
      and d.dim <> f.fdim
    group by 1, 2, 3, 4, 5
  ) x
  group by fdim, fvalue, dim, value`;

/**
 * Seals one day: under the day's lock (the projection takes it before un-sealing a day it
 * changes), replaces the day's filtered rollups and marks it sealed. Returns the rows written, or
 * null when the day was sealed already.
 */
export async function sealDay(sql: Sql, site: string, day: string): Promise<number | null> {
  return inTransaction(sql, async (tx) => {
    await lockDays(tx, [{ site, day }]);
    const [done] = await tx`select 1 from sealed_days where site = ${site} and day = ${day}::date`;
    if (done) return null;
    await tx`delete from rollups_filtered where site = ${site} and day = ${day}::date`;
    const r = await tx.unsafe(SEAL_DAY, [site, day]);
    await tx`insert into sealed_days (site, day) values (${site}, ${day}::date)`;
    return r.count;
  });
}

/**
 * The days with visits that are over (by SEAL_AFTER_MS) and not sealed, oldest first, at most
 * `limit`. Reads the visits' days through their (site, started_at) index, one site at a time.
 */
export async function unsealedDays(sql: Sql, now: Date, limit = 1000): Promise<{ site: string; day: string }[]> {
  const before = new Date(now.getTime() - SEAL_AFTER_MS).toISOString().slice(0, 10);
  return (await sql`
    with recursive sites as (
      (select site from visits order by site limit 1)
      union all
      select (select v.site from visits v where v.site > s.site order by v.site limit 1) from sites s where s.site is not null
    ),
    days as (
      select s.site, d.day from sites s
      cross join lateral (
        select distinct (started_at at time zone 'UTC')::date as day from visits v
        where v.site = s.site and v.started_at < (${before}::date)::timestamp at time zone 'UTC'
      ) d
      where s.site is not null
    )
    select site, to_char(day, 'YYYY-MM-DD') as day from days
    where not exists (select 1 from sealed_days x where x.site = days.site and x.day = days.day)
    order by day, site limit ${limit}`) as unknown as { site: string; day: string }[];
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
