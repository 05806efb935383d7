import type { Tx } from "../db/client.ts";
import { enqueueRegressions } from "../alerts/enqueue-alerts.ts";
import { dependsOnCrashes, deriveStatus, type CrashesSince, type TriageDecision } from "./derive-status.ts";

/** A decision as loaded for a batch, with what the group shows now (null: no group yet). */
export interface LoadedDecision extends TriageDecision {
  current: { status: string; regressedAt: Date | null } | null;
}

/** The triage decisions (and tombstones) for these groups; most batches find none. */
export async function loadDecisions(tx: Tx, groupIds: readonly string[]): Promise<Map<string, LoadedDecision>> {
  if (groupIds.length === 0) return new Map();
  const rows = await tx`
    select t.group_id, t.status, t.changed_at, t.event_id, t.resolved_in_release, t.ignore_until, t.ignore_count, t.deleted_before,
           g.status as current_status, g.regressed_at as current_regressed_at
    from crash_group_triage t left join crash_groups g on g.id = t.group_id
    where t.group_id = any(${groupIds as string[]}::text[])`;
  return new Map(
    rows.map((r) => [
      r.group_id as string,
      {
        status: r.status,
        changedAt: r.changed_at,
        eventId: r.event_id,
        resolvedInRelease: r.resolved_in_release,
        ignoreUntil: r.ignore_until,
        ignoreCount: r.ignore_count,
        deletedBefore: r.deleted_before,
        current: r.current_status === null ? null : { status: r.current_status, regressedAt: r.current_regressed_at },
      },
    ]),
  );
}

/**
 * Recomputes `crash_groups.status` (and the regression) for these groups from their decision
 * and the crashes after it, and queues a regression alert when a group is regressed (the alert
 * is keyed on the resolution it broke, so it is raised once however often this runs).
 * Returns the groups whose row changed.
 */
export async function refreshStatuses(tx: Tx, decisions: ReadonlyMap<string, TriageDecision>): Promise<number> {
  if (decisions.size === 0) return 0;
  const ids = [...decisions.keys()];
  const timed = ids.filter((id) => dependsOnCrashes(decisions.get(id)!));
  const since = new Map<string, CrashesSince[]>();
  if (timed.length) {
    const rows = await tx`
      select c.group_id, c.release, min(c.occurred_at) as first_at, max(c.occurred_at) as last_at, count(*)::int as n
      from crashes c
      join unnest(${timed}::text[], ${timed.map((id) => decisions.get(id)!.changedAt!.toISOString())}::timestamptz[]) as d(group_id, at)
        on c.group_id = d.group_id and c.occurred_at > d.at
      group by c.group_id, c.release`;
    for (const r of rows) {
      const list = since.get(r.group_id) ?? [];
      list.push({ release: r.release, firstAt: r.first_at, lastAt: r.last_at, count: r.n });
      since.set(r.group_id, list);
    }
  }
  const derived = ids.map((id) => ({ id, d: decisions.get(id)!, s: deriveStatus(decisions.get(id)!, since.get(id) ?? []) }));
  const updated = await tx`
    update crash_groups g set
      status = v.status,
      status_changed_at = v.changed_at,
      regressed_at = v.regressed_at,
      regressed_release = v.regressed_release
    from unnest(
      ${ids}::text[], ${derived.map((x) => x.s.status)}::text[], ${derived.map((x) => x.d.changedAt?.toISOString() ?? null)}::timestamptz[],
      ${derived.map((x) => x.s.regressedAt?.toISOString() ?? null)}::timestamptz[], ${derived.map((x) => x.s.regressedRelease)}::text[]
    ) as v(id, status, changed_at, regressed_at, regressed_release)
    where g.id = v.id
      and (g.status, g.status_changed_at, g.regressed_at, g.regressed_release) is distinct from (v.status, v.changed_at, v.regressed_at, v.regressed_release)
    returning g.id`;
  await enqueueRegressions(
    tx,
    derived.filter((x) => x.s.status === "regressed").map((x) => ({ groupId: x.id, resolutionId: x.d.eventId!, release: x.s.regressedRelease, occurredAt: x.s.regressedAt! })),
  );
  return updated.length;
}
