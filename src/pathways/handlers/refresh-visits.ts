import type { Tx } from "../../db/client.ts";
import { rollupDelta, type SignedVisit } from "./rollup-delta.ts";
import { sessionise, type RawEvent, type VisitRow } from "./sessionise.ts";
import { unsealDays } from "./unseal-days.ts";
import { VISIT_ATTRIBUTES } from "./visit-dimensions.ts";

/** What the visits projection needs from an event: whose visits it may change. */
export interface VisitKey {
  site: string;
  visitorHash: string;
}

/**
 * Recomputes the visits of every (site, visitor_hash) in `keys` from the raw page views and
 * custom events, and moves `rollups_daily` by the difference between the old visits'
 * contribution and the new one. Run it in the projection's transaction after the raw rows are
 * written (any number of times): the visits table is always a pure function of the raw rows, so
 * the numbers are the same whatever order, duplication or interleaving the events arrived in.
 *
 * A visitor hash lives one UTC day (the salt rotates at 00:00 UTC), so a visitor's visits, and
 * their whole contribution to the daily rollups, belong to one day. Concurrent transactions
 * touching the same visitor (Flowcore deliveries arrive in parallel) are serialised by a
 * transaction-scoped advisory lock per visitor, taken in a fixed order so they cannot deadlock;
 * rollup rows are then updated in key order. Returns the number of visits written.
 */
export async function refreshVisits(sql: Tx, keys: VisitKey[]): Promise<number> {
  if (keys.length === 0) return 0;
  const unique = new Map<string, { site: string; visitor_hash: string }>();
  for (const k of keys) unique.set(`${k.site} ${k.visitorHash}`, { site: k.site, visitor_hash: k.visitorHash });
  const list = sql.json([...unique.values()] as never);

  await sql`
    select count(pg_advisory_xact_lock(l.k)) from (
      select distinct hashtextextended(site || ' ' || visitor_hash, 13) as k
      from jsonb_to_recordset(${list}) as x(site text, visitor_hash text) order by 1
    ) l`;

  // Every raw event of these visitors (after this batch's inserts), sessionised here.
  const raw = (await sql.unsafe(READ, [list as never])) as unknown as RawEvent[];
  const visits = sessionise(raw);
  const old = (await sql.unsafe(REPLACE, [list as never, sql.json(visits as never) as never])) as unknown as SignedVisit[];

  const delta = rollupDelta([...visits.map(signed), ...old]);
  if (delta.length > 0) {
    await sql`
      insert into rollups_daily as r (site, day, dim, value, visitors, visits, pageviews, bounces, duration_ms, events)
      select site, day, dim, value, visitors, visits, pageviews, bounces, duration_ms, events
      from jsonb_to_recordset(${sql.json(delta as never)}) as x(site text, day date, dim text, value text, visitors int, visits int, pageviews int, bounces int, duration_ms bigint, events int)
      order by site collate "C", dim collate "C", day, value collate "C"
      on conflict (site, dim, day, value) do update set
        visitors = r.visitors + excluded.visitors, visits = r.visits + excluded.visits,
        pageviews = r.pageviews + excluded.pageviews, bounces = r.bounces + excluded.bounces,
        duration_ms = r.duration_ms + excluded.duration_ms, events = r.events + excluded.events`;
  }
  // Days before today whose visits changed (a replay, a late event) lose their filtered rollups.
  const today = new Date().toISOString().slice(0, 10);
  const past = new Map<string, { site: string; day: string }>();
  for (const v of [...visits.map((x) => ({ site: x.site, day: x.started_at.slice(0, 10) })), ...old])
    if (v.day < today) past.set(`${v.site} ${v.day}`, { site: v.site, day: v.day });
  await unsealDays(sql, [...past.values()]);
  return visits.length;
}

function signed(v: VisitRow): SignedVisit {
  const attrs: Record<string, string | null> = {};
  for (const [dim, col] of Object.entries(VISIT_ATTRIBUTES)) attrs[dim] = v[col];
  return {
    sign: 1,
    site: v.site,
    day: v.started_at.slice(0, 10),
    visitor_hash: v.visitor_hash,
    pageviews: v.pageviews,
    events: v.events,
    bounce: v.bounce,
    duration_ms: v.duration_ms,
    attrs,
    pages: v.pages,
    event_names: v.event_names,
    props: v.props,
  };
}

const KEYS = `k as (select distinct site, visitor_hash from jsonb_to_recordset($1::jsonb) as x(site text, visitor_hash text))`;

const READ = `
with ${KEYS}
select 0 as kind, p.id::text as id, p.site, p.visitor_hash, (extract(epoch from p.occurred_at) * 1000)::float8 as at, p.pathname,
       p.referrer, p.referrer_source, p.channel, p.utm_source, p.utm_medium, p.utm_campaign, p.utm_term, p.utm_content, p.country,
       p.browser, p.browser_version, p.os, p.os_version, p.device_type, null::text as event_name, null::jsonb as properties
from pageviews p join k on p.site = k.site and p.visitor_hash = k.visitor_hash
union all
select 1, c.id::text, c.site, c.visitor_hash, (extract(epoch from c.occurred_at) * 1000)::float8, c.pathname,
       c.referrer, c.referrer_source, c.channel, null, null, null, null, null, c.country,
       c.browser, c.browser_version, c.os, c.os_version, c.device_type, c.event_name, c.properties
from custom_events c join k on c.site = k.site and c.visitor_hash = k.visitor_hash`;

/** The visit attributes as one jsonb object keyed by API dimension name. */
const ATTRS_JSON = `jsonb_build_object(${Object.entries(VISIT_ATTRIBUTES)
  .map(([dim, col]) => `'${dim}', old.${col}`)
  .join(", ")})`;
const VISIT_COLUMNS = `site, visitor_hash, started_at, ended_at, entry_page, exit_page, pageviews, events, duration_ms, bounce,
  referrer, source, channel, utm_source, utm_medium, utm_campaign, utm_term, utm_content, country,
  browser, browser_version, os, os_version, device_type, pages, event_names, props`;

/** Replaces the visitors' visits; returns the replaced ones (sign -1) for the rollup delta. */
const REPLACE = `
with ${KEYS},
old as (delete from visits v using k where v.site = k.site and v.visitor_hash = k.visitor_hash returning v.*),
ins as (insert into visits (${VISIT_COLUMNS}) select ${VISIT_COLUMNS} from jsonb_populate_recordset(null::visits, $2::jsonb) returning 1)
select -1 as sign, old.site, to_char(old.started_at at time zone 'UTC', 'YYYY-MM-DD') as day, old.visitor_hash, old.pageviews, old.events,
       old.bounce, old.duration_ms::float8 as duration_ms, ${ATTRS_JSON} as attrs, old.pages, old.event_names, old.props,
       (select count(*) from ins) as inserted
from old`;
