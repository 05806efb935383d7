import type { Tx } from "../../db/client.ts";
import type { CrashReported } from "../contracts/index.ts";

/**
 * Projects crashes into `crashes` and maintains `crash_groups`. Group counters only move for
 * crash rows that were actually inserted in this call (ON CONFLICT DO NOTHING ... RETURNING), so
 * redelivery, replay and backfill never inflate them. Must run inside a transaction.
 */
export async function projectCrashes(sql: Tx, events: CrashReported[]): Promise<number> {
  if (events.length === 0) return 0;
  const groupId = (e: CrashReported) => `${e.fingerprint.version}:${e.fingerprint.hash}`;

  // 1. Make sure every group exists (the first crash of a group sets its representative message).
  const seen = new Map<string, CrashReported>();
  for (const e of events) if (!seen.has(groupId(e))) seen.set(groupId(e), e);
  const groups = [...seen.entries()].map(([id, e]) => ({
    id,
    fingerprint_version: e.fingerprint.version,
    fingerprint: e.fingerprint.hash,
    site: e.site,
    error_type: e.errorType,
    message: e.message,
    first_seen: new Date(e.occurredAt),
    last_seen: new Date(e.occurredAt),
  }));
  await sql`insert into crash_groups ${sql(groups)} on conflict (id) do nothing`;

  // 2. Insert the crashes; 3. fold only the newly inserted ones into their groups. Visitors count
  // as new when the group had no earlier crash from them (the subquery sees the table as it was
  // before this statement).
  const rows = events.map((e) => ({
    id: e.ingestId,
    site: e.site,
    group_id: groupId(e),
    fingerprint_version: e.fingerprint.version,
    fingerprint: e.fingerprint.hash,
    error_type: e.errorType,
    message: e.message,
    frames: sql.json(e.frames),
    raw_stack: e.rawStack ?? null,
    release: e.release,
    platform: e.platform,
    os_version: e.osVersion,
    severity: e.severity,
    breadcrumbs: e.breadcrumbs === null ? null : sql.json(e.breadcrumbs as never),
    context: e.context === null ? null : sql.json(e.context as never),
    pathname: e.pathname,
    browser: e.browser,
    browser_version: e.browserVersion,
    os: e.os,
    device_type: e.deviceType,
    country: e.country ?? null,
    visitor_hash: e.visitorHash,
    occurred_at: new Date(e.occurredAt),
    event_id: e.eventId ?? null,
    environment: e.environment ?? null,
  }));
  const r = await sql`
    with ins as (
      insert into crashes ${sql(rows)} on conflict (id) do nothing
      returning group_id, visitor_hash, occurred_at, release, platform
    ),
    fresh as (
      select distinct on (group_id, visitor_hash) group_id, visitor_hash
      from ins
      where not exists (select 1 from crashes c where c.group_id = ins.group_id and c.visitor_hash = ins.visitor_hash)
    ),
    agg as (
      select group_id, count(*)::int as n, min(occurred_at) as first_at, max(occurred_at) as last_at,
             array_remove(array_agg(distinct release), null) as releases,
             array_remove(array_agg(distinct platform), null) as platforms
      from ins group by group_id
    )
    update crash_groups g set
      occurrences = g.occurrences + agg.n,
      affected_visitors = g.affected_visitors + (select count(*) from fresh where fresh.group_id = agg.group_id)::int,
      first_seen = least(g.first_seen, agg.first_at),
      last_seen = greatest(g.last_seen, agg.last_at),
      releases = array(select distinct unnest(g.releases || agg.releases) order by 1),
      platforms = array(select distinct unnest(g.platforms || agg.platforms) order by 1)
    from agg where g.id = agg.group_id
    returning agg.n`;
  return r.reduce((sum, row) => sum + (row.n as number), 0);
}
