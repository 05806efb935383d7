import type { Tx } from "../../db/client.ts";
import { type customEvents, type pageviews, visits as visitsTable } from "../../db/schema.ts";
import { type InsertStatement, insertReturningTimes, insertStatement, PREPARED, unnestRows } from "./insert-records.ts";
import { rollupDelta, type SignedVisit } from "./rollup-delta.ts";
import { extendVisitor } from "./extend-visits.ts";
import { sessionise, type RawEvent, type VisitRow } from "./sessionise.ts";
import { unsealDays } from "./unseal-days.ts";
import { VISIT_ATTRIBUTES } from "./visit-dimensions.ts";

/** Rows a projection step sends to `pageviews` (kind 0) or `custom_events` (kind 1). */
export interface RawRows {
  kind: 0 | 1;
  table: typeof pageviews | typeof customEvents;
  rows: Record<string, unknown>[];
  /** Their insert, when built ahead (insertStatement); built here otherwise. */
  statement?: InsertStatement;
}

/**
 * Inserts the raw page views and custom events of a projection step (one row per ingest id: a
 * replayed event is a no-op) and brings the visits of every (site, visitor_hash) whose rows were
 * new up to date, moving `rollups_daily` by the difference between the old visits' contribution
 * and the new one. Returns the rows inserted per part. Run it in the projection's transaction: the
 * visits table is always a pure function of the raw rows, so the numbers are the same whatever
 * order, duplication or interleaving the events arrived in.
 *
 * Two paths give the same visits (extend-visits.ts): a visitor whose new events all come after
 * their stored ones (the usual case) has their stored visits extended in place; any other
 * visitor (a late, tied or replayed-out-of-order event) has their visits recomputed from every raw
 * row, deleted and written again.
 *
 * The statements go to PostgreSQL as one pipeline: the visitors' locks, their stored visits, then
 * the inserts. While PostgreSQL inserts, the visits are worked out here on the guess that every
 * row sent is new; the rows the inserts report confirm the guess (the usual case) or the visits
 * are worked out again from them.
 *
 * A visitor hash lives one UTC day (the salt rotates at 00:00 UTC), so a visitor's visits, and
 * their whole contribution to the daily rollups, belong to one day. Concurrent transactions
 * touching the same visitor (Flowcore deliveries arrive in parallel) are serialised by a
 * transaction-scoped advisory lock per visitor, taken in a fixed order before any of their rows
 * is inserted, so they cannot deadlock (not even on the same ingest id, whose visitor is locked
 * first); rollup rows are then updated in key order.
 */
export async function insertWithVisits(sql: Tx, parts: RawRows[], duringInserts?: () => void): Promise<number[]> {
  const counts = parts.map(() => 0);
  const live = parts.flatMap((p, i) => (p.rows.length > 0 ? [{ ...p, i }] : []));
  if (live.length === 0) return counts;
  const keys = new Map<string, { site: string; visitor_hash: string }>();
  for (const p of live)
    for (const r of p.rows) {
      const k = `${r.site}\u0001${r.visitor_hash}`;
      if (!keys.has(k)) keys.set(k, { site: r.site as string, visitor_hash: r.visitor_hash as string });
    }
  const list = sql.json([...keys.values()] as never);

  // Queued on the transaction's connection in this order (execute() sends without waiting).
  const locked = sql`
    select count(pg_advisory_xact_lock(l.k)) from (
      select distinct hashtextextended(site || ' ' || visitor_hash, 13) as k
      from jsonb_to_recordset(${list}) as x(site text, visitor_hash text) order by 1
    ) l`.execute();
  const read = sql.unsafe(READ_VISITS, [list as never], PREPARED).execute();
  const inserts = live.map((p) => insertReturningTimes(sql, p.statement ?? insertStatement(p.table, p.rows)));
  // Each is awaited below; until then a failure (which fails the rest) must not go unhandled.
  for (const q of [locked, read, ...inserts]) q.catch(() => {});

  // Worked out while PostgreSQL locks, reads and inserts: the visits, and the statements that
  // write them, if every row sent is new (and no visitor needs a recomputation, which reads the
  // rows inserted). First the event loop turns once, so that the pipeline is on its way.
  await new Promise((resolve) => setImmediate(resolve));
  const guessed = live.map((p) => storedRawEvents(p.kind, p.rows, guessStored(p.rows)));
  await locked;
  const [stored] = (await read) as unknown as [{ rows: StoredVisit[] }];
  const old = stored.rows.map(visitRow);
  let plan = planVisits(old, guessed.flat());
  let writes = plan.recompute.length === 0 ? prepareWrites(plan) : null;
  duringInserts?.();
  const inserted = await Promise.all(inserts);
  inserted.forEach((s, j) => {
    counts[live[j]!.i] = s.length;
  });
  if (!inserted.every((s, j) => sameRows(s, guessed[j]!))) {
    // Some rows were stored before (a replay): the visits follow from the others.
    const actual = live.flatMap((p, j) => storedRawEvents(p.kind, p.rows, inserted[j]!));
    plan = planVisits(old, actual);
    writes = null;
  }
  if (!writes) {
    await recomputeVisitors(sql, plan);
    writes = prepareWrites(plan);
  }
  await runWrites(sql, writes);
  return counts;
}

/** The rows PostgreSQL stores if none of `rows` was stored before: the first of each id. */
function guessStored(rows: Record<string, unknown>[]): [id: string, at: number][] {
  const seen = new Set<string>();
  const out: [string, number][] = [];
  for (const r of rows) {
    const id = String(r.id).toLowerCase();
    if (seen.has(id)) continue;
    seen.add(id);
    out.push([id, Date.parse(r.occurred_at as string)]);
  }
  return out;
}

/** true when PostgreSQL stored exactly the guessed rows, with the guessed times. */
function sameRows(stored: [id: string, at: number][], guessed: RawEvent[]): boolean {
  if (stored.length !== guessed.length) return false;
  const at = new Map<string, number>();
  for (const e of guessed) at.set(e.id, e.at);
  return stored.every(([id, t]) => at.get(id) === t);
}

interface VisitPlan {
  /** The touched visitors' visits before this step (their rollup contribution is taken out). */
  old: VisitRow[];
  /** Their visits after it, but for the recomputed visitors (added by applyPlan). */
  visits: VisitRow[];
  updated: VisitRow[];
  inserted: VisitRow[];
  recompute: { site: string; visitor_hash: string }[];
}

/** What the new raw events `added` do to their visitors' visits (`stored`: every visit read). */
function planVisits(stored: VisitRow[], added: RawEvent[]): VisitPlan {
  const byVisitor = new Map<string, { site: string; visitor_hash: string; added: RawEvent[]; old: VisitRow[] }>();
  for (const e of added) {
    const k = `${e.site}\u0001${e.visitor_hash}`;
    const entry = byVisitor.get(k);
    if (entry) entry.added.push(e);
    else byVisitor.set(k, { site: e.site, visitor_hash: e.visitor_hash, added: [e], old: [] });
  }
  // Visitors whose rows were all replays keep their visits: only the others' count.
  const old: VisitRow[] = [];
  for (const v of stored) {
    const entry = byVisitor.get(`${v.site}\u0001${v.visitor_hash}`);
    if (!entry) continue;
    entry.old.push(v);
    old.push(v);
  }
  const plan: VisitPlan = { old, visits: [], updated: [], inserted: [], recompute: [] };
  for (const entry of byVisitor.values()) {
    const extension = extendVisitor(entry.old, entry.added);
    if (!extension) {
      plan.recompute.push({ site: entry.site, visitor_hash: entry.visitor_hash });
      continue;
    }
    plan.visits.push(...extension.visits);
    if (extension.extended) plan.updated.push(extension.extended);
    plan.inserted.push(...extension.fresh);
  }
  return plan;
}

/** The recomputed visitors' visits, from every raw row of theirs (after this step's inserts). */
async function recomputeVisitors(sql: Tx, plan: VisitPlan): Promise<void> {
  if (plan.recompute.length === 0) return;
  const raw = (await sql.unsafe(READ_RAW, [sql.json(plan.recompute as never) as never], PREPARED)) as unknown as RawEvent[];
  const again = sessionise(raw);
  plan.visits.push(...again);
  plan.inserted.push(...again);
}

/** A plan's statements, parameters built: visits deleted, updated, inserted; rollups; days unsealed. */
interface Writes {
  recompute: { site: string; visitor_hash: string }[];
  update: { from: string; names: string; params: never[]; rows: number } | null;
  insert: { from: string; names: string; params: never[] } | null;
  /** The rollup delta as JSON, or null when it is empty. */
  delta: string | null;
  unseal: { site: string; day: string }[];
}

/** Everything the writes need that can be worked out before they run (pure: no database). */
function prepareWrites(plan: VisitPlan): Writes {
  const { old, visits, updated, inserted, recompute } = plan;
  // Days before today whose visits changed (a replay, a late event) lose their filtered rollups.
  const today = new Date().toISOString().slice(0, 10);
  const past = new Map<string, { site: string; day: string }>();
  for (const v of [...updated, ...inserted, ...old]) {
    const day = v.started_at.slice(0, 10);
    if (day < today) past.set(`${v.site} ${day}`, { site: v.site, day });
  }
  const delta = rollupDelta([...visits.map((v) => signed(v, 1)), ...old.map((v) => signed(v, -1))]);
  return {
    recompute,
    update: updated.length > 0 ? { ...unnestRows(visitsTable, COLUMNS, updated as never), rows: updated.length } : null,
    insert: inserted.length > 0 ? unnestRows(visitsTable, COLUMNS, inserted as never) : null,
    delta: delta.length > 0 ? JSON.stringify(delta) : null,
    unseal: [...past.values()],
  };
}

/**
 * The recomputed visitors' visits deleted, extended visits updated in place (found by visitor
 * and start), new visits inserted, the rollups moved, changed past days unsealed: sent as one
 * pipeline, run by PostgreSQL in this order.
 */
async function runWrites(sql: Tx, w: Writes): Promise<void> {
  const queries: Promise<unknown>[] = [];
  if (w.recompute.length > 0)
    queries.push(
      sql`
        delete from visits v using unnest(${w.recompute.map((k) => k.site)}::text[], ${w.recompute.map((k) => k.visitor_hash)}::text[]) as k(site, visitor_hash)
        where v.visitor_hash = k.visitor_hash and v.site || '' = k.site`.execute(),
    );
  if (w.update) {
    const expected = w.update.rows;
    queries.push(
      sql
        .unsafe(
          `update visits v set ${EXTENDABLE.map((c) => `${c} = x.${c}`).join(", ")}
           from ${w.update.from} as x(${w.update.names})
           where v.site = x.site and v.visitor_hash = x.visitor_hash and v.started_at = x.started_at`,
          w.update.params,
          PREPARED,
        )
        .execute()
        .then((r) => {
          if (r.count !== expected) throw new Error(`visits projection: ${expected} stored visits to extend, ${r.count} found`);
        }),
    );
  }
  if (w.insert) queries.push(sql.unsafe(`insert into visits (${w.insert.names}) select * from ${w.insert.from}`, w.insert.params, PREPARED).execute());
  if (w.delta)
    queries.push(
      sql`
        insert into rollups_daily as r (site, day, dim, value, visitors, visits, pageviews, bounces, duration_ms, events)
        select site, day, dim, value, visitors, visits, pageviews, bounces, duration_ms, events
        from jsonb_to_recordset(${w.delta}::text::jsonb) as x(site text, day date, dim text, value text, visitors int, visits int, pageviews int, bounces int, duration_ms bigint, events int)
        order by site collate "C", dim collate "C", day, value collate "C"
        on conflict (site, dim, day, value) do update set
          visitors = r.visitors + excluded.visitors, visits = r.visits + excluded.visits,
          pageviews = r.pageviews + excluded.pageviews, bounces = r.bounces + excluded.bounces,
          duration_ms = r.duration_ms + excluded.duration_ms, events = r.events + excluded.events`.execute(),
    );
  for (const q of queries) q.catch(() => {});
  for (const q of queries) await q;
  await unsealDays(sql, w.unseal);
}

function signed(v: VisitRow, sign: 1 | -1): SignedVisit {
  const attrs: Record<string, string | null> = {};
  for (const [dim, col] of Object.entries(VISIT_ATTRIBUTES)) attrs[dim] = v[col];
  return {
    sign,
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

/**
 * A visitor's rows are found by visitor_hash alone (its hash index, migration 0010); the site is
 * checked on the rows found. Written `site || ''` so that no index on site can serve it: before
 * the first ANALYZE of a young table the planner guesses both conditions equally selective and
 * ANDs the hash index with the (site, time) B-tree, reading every row of the site once per visitor
 * (a step of 1,500 visitors on 20,000 visits took 1.8 s instead of 5 ms).
 */
const KEYS = `k as (select distinct site, visitor_hash from jsonb_to_recordset($1::jsonb) as x(site text, visitor_hash text))`;

/**
 * Rows a projection step sent to `pageviews` or `custom_events`, as RawEvents for the visits:
 * only those PostgreSQL inserted (`stored`: id and time as it keeps them, insert-records.ts), with
 * the other columns taken from the rows themselves (text and jsonb, stored exactly as sent).
 */
export function storedRawEvents(kind: 0 | 1, rows: Record<string, unknown>[], stored: [id: string, at: number][]): RawEvent[] {
  if (stored.length === 0) return [];
  const byId = new Map<string, Record<string, unknown>>();
  // The first of two rows with one id is the one inserted (the second conflicts with it).
  for (const r of rows) {
    const id = String(r.id).toLowerCase();
    if (!byId.has(id)) byId.set(id, r);
  }
  return stored.map(([id, at]) => {
    const r = byId.get(id);
    if (!r) throw new Error(`visits projection: stored row ${id} is not among the rows sent`);
    return {
      kind,
      id,
      site: r.site as string,
      visitor_hash: r.visitor_hash as string,
      at,
      pathname: r.pathname as string,
      referrer: (r.referrer ?? null) as string | null,
      referrer_source: (r.referrer_source ?? null) as string | null,
      channel: r.channel as string,
      utm_source: kind === 0 ? ((r.utm_source ?? null) as string | null) : null,
      utm_medium: kind === 0 ? ((r.utm_medium ?? null) as string | null) : null,
      utm_campaign: kind === 0 ? ((r.utm_campaign ?? null) as string | null) : null,
      utm_term: kind === 0 ? ((r.utm_term ?? null) as string | null) : null,
      utm_content: kind === 0 ? ((r.utm_content ?? null) as string | null) : null,
      country: (r.country ?? null) as string | null,
      browser: (r.browser ?? null) as string | null,
      browser_version: (r.browser_version ?? null) as string | null,
      os: (r.os ?? null) as string | null,
      os_version: (r.os_version ?? null) as string | null,
      device_type: r.device_type as string,
      event_name: kind === 1 ? (r.event_name as string) : null,
      properties: kind === 1 ? (r.properties as Record<string, unknown>) : null,
    };
  });
}

const READ_RAW = `
with ${KEYS}
select 0 as kind, p.id::text as id, p.site, p.visitor_hash, (extract(epoch from p.occurred_at) * 1000)::float8 as at, p.pathname,
       p.referrer, p.referrer_source, p.channel, p.utm_source, p.utm_medium, p.utm_campaign, p.utm_term, p.utm_content, p.country,
       p.browser, p.browser_version, p.os, p.os_version, p.device_type, null::text as event_name, null::jsonb as properties
from pageviews p join k on p.visitor_hash = k.visitor_hash and p.site || '' = k.site
union all
select 1, c.id::text, c.site, c.visitor_hash, (extract(epoch from c.occurred_at) * 1000)::float8, c.pathname,
       c.referrer, c.referrer_source, c.channel, null, null, null, null, null, c.country,
       c.browser, c.browser_version, c.os, c.os_version, c.device_type, c.event_name, c.properties
from custom_events c join k on c.visitor_hash = k.visitor_hash and c.site || '' = k.site`;

const VISIT_COLUMNS = `site, visitor_hash, started_at, ended_at, entry_page, exit_page, pageviews, events, duration_ms, bounce,
  referrer, source, channel, utm_source, utm_medium, utm_campaign, utm_term, utm_content, country,
  browser, browser_version, os, os_version, device_type, pages, event_names, props`;

/** A `visits` row as READ_VISITS returns it: the times in epoch milliseconds. */
type StoredVisit = Omit<VisitRow, "started_at" | "ended_at"> & { started_ms: number; ended_ms: number };

function visitRow({ started_ms, ended_ms, ...v }: StoredVisit): VisitRow {
  return { ...v, started_at: new Date(started_ms).toISOString(), ended_at: new Date(ended_ms).toISOString() };
}

const READ_VISITS = `
with ${KEYS}
select coalesce(json_agg(x), '[]') as rows from (
  select ${VISIT_COLUMNS.replace(/started_at, ended_at, /, "").replace(/(\w+)/g, "v.$1")},
         (extract(epoch from v.started_at) * 1000)::float8 as started_ms, (extract(epoch from v.ended_at) * 1000)::float8 as ended_ms
  from visits v join k on v.visitor_hash = k.visitor_hash and v.site || '' = k.site) x`;

const COLUMNS = VISIT_COLUMNS.split(",").map((c) => c.trim());
/** Everything a visit extended in place can change (its start, and so its identity, stays). */
const EXTENDABLE = COLUMNS.filter((c) => !["site", "visitor_hash", "started_at"].includes(c));
