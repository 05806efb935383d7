import type { Tx } from "../../db/client.ts";
import { loadDecisions, refreshStatuses } from "../../triage/group-statuses.ts";
import type { CrashGroupDeleted } from "../contracts/crash-group-deleted.v0.ts";
import type { CrashGroupStatusChanged } from "../contracts/crash-group-status-changed.v0.ts";

const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/** The latest event per group by its own time (ties: the greater id), whatever the batch order. */
function latestPerGroup<E extends { groupId: string; occurredAt: string; ingestId: string }>(events: readonly E[]): E[] {
  const latest = new Map<string, E>();
  for (const e of events) {
    const prev = latest.get(e.groupId);
    const t = Date.parse(e.occurredAt);
    if (!prev || t > Date.parse(prev.occurredAt) || (t === Date.parse(prev.occurredAt) && e.ingestId > prev.ingestId)) latest.set(e.groupId, e);
  }
  return [...latest.values()];
}

/**
 * Status changes: each becomes the group's decision unless a later one (by decision time, not by
 * delivery) or a later deletion is already known; then the group's status is recomputed from the
 * decision and its crashes. Redelivering an event changes nothing. Returns groups changed.
 */
export async function projectStatusChanges(tx: Tx, events: CrashGroupStatusChanged[]): Promise<number> {
  const latest = latestPerGroup(events);
  await tx`
    insert into crash_group_triage as t (group_id, status, changed_at, event_id, resolved_in_release, ignore_until, ignore_count)
    select * from unnest(
      ${latest.map((e) => e.groupId)}::text[], ${latest.map((e) => e.status)}::text[], ${latest.map((e) => e.occurredAt)}::timestamptz[],
      ${latest.map((e) => e.ingestId)}::uuid[], ${latest.map((e) => (e.status === "resolved" ? (e.resolvedInRelease ?? null) : null))}::text[],
      ${latest.map((e) => (e.status === "ignored" ? (e.ignoreUntil ?? null) : null))}::timestamptz[],
      ${latest.map((e) => (e.status === "ignored" ? (e.ignoreCount ?? null) : null))}::int[])
    on conflict (group_id) do update set
      status = excluded.status, changed_at = excluded.changed_at, event_id = excluded.event_id,
      resolved_in_release = excluded.resolved_in_release, ignore_until = excluded.ignore_until, ignore_count = excluded.ignore_count
    where (coalesce(t.changed_at, '-infinity'), coalesce(t.event_id, ${NIL_UUID}::uuid)) < (excluded.changed_at, excluded.event_id)
      and excluded.changed_at > coalesce(t.deleted_before, '-infinity')`;
  return refreshStatuses(
    tx,
    await loadDecisions(
      tx,
      latest.map((e) => e.groupId),
    ),
  );
}

/**
 * Deletions: the crashes of the group up to the deletion go, and a tombstone keeps them from
 * coming back on a replay; decisions made before it are forgotten. Crashes after it (already
 * delivered, or delivered later) make the group again, counted from those crashes only.
 * Returns crash rows deleted.
 */
export async function projectGroupDeletions(tx: Tx, events: CrashGroupDeleted[]): Promise<number> {
  const latest = latestPerGroup(events);
  const ids = latest.map((e) => e.groupId);
  await tx`
    insert into crash_group_triage as t (group_id, deleted_before)
    select * from unnest(${ids}::text[], ${latest.map((e) => e.occurredAt)}::timestamptz[])
    on conflict (group_id) do update set deleted_before = greatest(t.deleted_before, excluded.deleted_before)`;
  await tx`
    update crash_group_triage set status = null, changed_at = null, event_id = null, resolved_in_release = null, ignore_until = null, ignore_count = null
    where group_id = any(${ids}::text[]) and changed_at <= deleted_before`;
  const gone = await tx`
    delete from crashes c using crash_group_triage t
    where t.group_id = any(${ids}::text[]) and c.group_id = t.group_id and c.occurred_at <= t.deleted_before`;
  await tx`delete from crash_groups g where g.id = any(${ids}::text[]) and not exists (select 1 from crashes c where c.group_id = g.id)`;
  await tx`
    update crash_groups g set
      occurrences = s.n, affected_visitors = s.v, first_seen = s.f, last_seen = s.l, releases = s.r, platforms = s.p
    from (
      select group_id, count(*)::int as n, count(distinct visitor_hash)::int as v, min(occurred_at) as f, max(occurred_at) as l,
             coalesce(array_agg(distinct release order by release) filter (where release is not null), '{}') as r,
             coalesce(array_agg(distinct platform order by platform) filter (where platform is not null), '{}') as p
      from crashes where group_id = any(${ids}::text[]) group by group_id
    ) s
    where g.id = s.group_id`;
  await refreshStatuses(tx, await loadDecisions(tx, ids));
  return gone.count;
}
