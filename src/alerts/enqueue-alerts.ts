import type { Tx } from "../db/client.ts";

/**
 * The alert outbox's writers, called inside the projection transaction: an alert exists exactly
 * when the projected rows say it should, and a rolled-back batch raises none. Each row carries a
 * key that is the same on every replay of the same facts, and `on conflict do nothing` makes a
 * redelivery, a replay or a `--rebuild` raise nothing new:
 *
 * - `new_group`: `first` — or, for a group created again after a deletion, the deletion's time
 *   (a bug that comes back after its group was deleted is news again);
 * - `regression`: the id of the resolution it broke (one alert per "resolved", however many
 *   crashes follow it).
 */
export async function enqueueNewGroups(tx: Tx, groups: readonly { groupId: string; deletedBefore: Date | null; release: string | null; occurredAt: Date }[]): Promise<void> {
  if (groups.length === 0) return;
  await tx`
    insert into crash_alerts (group_id, site, kind, dedupe_key, release, error_type, message, occurred_at)
    select g.id, g.site, 'new_group', v.dedupe_key, v.release, g.error_type, g.message, v.occurred_at
    from unnest(${groups.map((g) => g.groupId)}::text[], ${groups.map((g) => (g.deletedBefore ? `after:${g.deletedBefore.toISOString()}` : "first"))}::text[],
                ${groups.map((g) => g.release)}::text[], ${groups.map((g) => g.occurredAt.toISOString())}::timestamptz[]) as v(group_id, dedupe_key, release, occurred_at)
    join crash_groups g on g.id = v.group_id
    on conflict (group_id, kind, dedupe_key) do nothing`;
}

export async function enqueueRegressions(tx: Tx, regressions: readonly { groupId: string; resolutionId: string; release: string | null; occurredAt: Date }[]): Promise<void> {
  if (regressions.length === 0) return;
  await tx`
    insert into crash_alerts (group_id, site, kind, dedupe_key, release, error_type, message, occurred_at)
    select g.id, g.site, 'regression', v.resolution_id, v.release, g.error_type, g.message, v.occurred_at
    from unnest(${regressions.map((r) => r.groupId)}::text[], ${regressions.map((r) => r.resolutionId)}::text[],
                ${regressions.map((r) => r.release)}::text[], ${regressions.map((r) => r.occurredAt.toISOString())}::timestamptz[]) as v(group_id, resolution_id, release, occurred_at)
    join crash_groups g on g.id = v.group_id
    on conflict (group_id, kind, dedupe_key) do nothing`;
}
