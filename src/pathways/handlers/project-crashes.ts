import { enqueueNewGroups } from "../../alerts/enqueue-alerts.ts";
import type { Tx } from "../../db/client.ts";
import { dependsOnCrashes } from "../../triage/derive-status.ts";
import { loadDecisions, refreshStatuses, type LoadedDecision } from "../../triage/group-statuses.ts";
import type { CrashReported } from "../contracts/crash.v0.ts";

/**
 * Projects crashes into `crashes` and maintains `crash_groups`. Group counters only move for
 * crash rows that were actually inserted in this call (ON CONFLICT DO NOTHING ... RETURNING), so
 * redelivery, replay and backfill never inflate them. Must run inside a transaction.
 */
export async function projectCrashes(sql: Tx, batch: CrashReported[]): Promise<number> {
  if (batch.length === 0) return 0;
  const groupId = (e: CrashReported) => `${e.fingerprint.version}:${e.fingerprint.hash}`;

  // 0. Triage decisions of these groups (usually none). A deleted group's crashes up to its
  // deletion stay deleted, whenever they are delivered.
  const decisions = await loadDecisions(sql, [...new Set(batch.map(groupId))]);
  const events = batch.filter((e) => {
    const cut = decisions.get(groupId(e))?.deletedBefore;
    return !cut || new Date(e.occurredAt) > cut;
  });
  if (events.length === 0) return 0;

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
  const created = new Set((await sql`insert into crash_groups ${sql(groups)} on conflict (id) do nothing returning id`).map((r) => r.id as string));

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
    returning g.id, agg.n, agg.first_at, agg.last_at`;

  // 4. Alerts for the groups this batch created, and statuses that depend on crashes (a
  // resolution broken, an ignore that ran out).
  const earliest = new Map<string, CrashReported>();
  for (const e of events) {
    const prev = earliest.get(groupId(e));
    if (created.has(groupId(e)) && (!prev || e.occurredAt < prev.occurredAt)) earliest.set(groupId(e), e);
  }
  await enqueueNewGroups(
    sql,
    [...earliest].map(([id, e]) => ({ groupId: id, deletedBefore: decisions.get(id)?.deletedBefore ?? null, release: e.release, occurredAt: new Date(e.occurredAt) })),
  );
  const stale = new Map<string, LoadedDecision>();
  for (const row of r) {
    const d = decisions.get(row.id as string);
    if (d && d.status !== null && (created.has(row.id as string) || mayChange(d, row.first_at as Date, row.last_at as Date))) stale.set(row.id as string, d);
  }
  await refreshStatuses(sql, stale);
  return r.reduce((sum, row) => sum + (row.n as number), 0);
}

/**
 * Whether new crashes that occurred between `firstAt` and `lastAt` can change what a decision's
 * group shows. Skipping the rest keeps a busy regressed group from re-reading all its crashes on
 * every batch: a regression can only move earlier, an ignore that ran out stays out.
 */
function mayChange(d: LoadedDecision, firstAt: Date, lastAt: Date): boolean {
  if (!dependsOnCrashes(d) || lastAt <= d.changedAt!) return false;
  if (d.current?.status === "regressed") return d.current.regressedAt === null || firstAt < d.current.regressedAt;
  if (d.status === "ignored") return d.current?.status !== "ongoing";
  return true;
}
