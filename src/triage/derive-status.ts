import { isNewerRelease } from "./release-order.ts";

/** Every status a group can show; `regressed` is only ever computed, never chosen. */
export const GROUP_STATUSES = ["new", "ongoing", "resolved", "regressed", "ignored"] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

/** The latest triage decision for a group (a row of crash_group_triage). */
export interface TriageDecision {
  status: "new" | "ongoing" | "resolved" | "ignored" | null;
  changedAt: Date | null;
  eventId: string | null;
  resolvedInRelease: string | null;
  ignoreUntil: Date | null;
  ignoreCount: number | null;
  deletedBefore: Date | null;
}

/** The group's crashes that occurred after the decision, per release. */
export interface CrashesSince {
  release: string | null;
  firstAt: Date;
  lastAt: Date;
  count: number;
}

export interface DerivedStatus {
  status: GroupStatus;
  /** The earliest crash after a resolution that counts as a regression, and its release. */
  regressedAt: Date | null;
  regressedRelease: string | null;
}

/** Whether the status depends on crashes after the decision (else it is the decision itself). */
export function dependsOnCrashes(d: TriageDecision): boolean {
  return d.status === "resolved" || (d.status === "ignored" && (d.ignoreCount !== null || d.ignoreUntil !== null));
}

/**
 * A group's status as a pure function of its latest decision and the crashes that occurred after
 * it. Nothing here depends on the order crashes and decisions were delivered in: the decision is
 * the latest by its own time (not by arrival), and the crashes are a set. So a replay, a rebuild
 * or an out-of-order Flowcore delivery always lands on the same status and the same regression.
 *
 * - no decision → `new`; `new` / `ongoing` → as chosen.
 * - `resolved` → `regressed` by the earliest crash after it; with "resolved in next release" only
 *   crashes from a newer release count (release-order.ts; a crash without a release never does).
 * - `ignored` → `ongoing` once `ignoreCount` more crashes occurred after it, or one occurred after
 *   `ignoreUntil`; `ignored` for ever when neither is set.
 */
export function deriveStatus(d: TriageDecision, since: readonly CrashesSince[]): DerivedStatus {
  const none = { regressedAt: null, regressedRelease: null };
  if (d.status === null || d.status === "new" || d.status === "ongoing") return { status: d.status ?? "new", ...none };
  if (d.status === "resolved") {
    const resolvedIn = d.resolvedInRelease;
    const counts = since.filter((r) => r.count > 0 && (resolvedIn === null || (r.release !== null && isNewerRelease(r.release, resolvedIn))));
    if (counts.length === 0) return { status: "resolved", ...none };
    // Earliest first; equal times broken by release so every order picks the same one.
    counts.sort((a, b) => a.firstAt.getTime() - b.firstAt.getTime() || (a.release ?? "").localeCompare(b.release ?? ""));
    return { status: "regressed", regressedAt: counts[0]!.firstAt, regressedRelease: counts[0]!.release };
  }
  const count = since.reduce((n, r) => n + r.count, 0);
  const last = Math.max(...since.map((r) => r.lastAt.getTime()), -Infinity);
  const expired = (d.ignoreCount !== null && count >= d.ignoreCount) || (d.ignoreUntil !== null && last > d.ignoreUntil.getTime());
  return { status: expired ? "ongoing" : "ignored", ...none };
}
