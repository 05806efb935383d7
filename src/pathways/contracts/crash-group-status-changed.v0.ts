import { z } from "zod";
import { LIMITS } from "../../limits.ts";
import { defineContract } from "../contract.ts";
import { projectStatusChanges } from "../handlers/project-crash-triage.ts";
import { CRASH_FLOW } from "./crash.v0.ts";

export const CRASH_GROUP_STATUS_CHANGED = "crash-group.status-changed.v0";
/** The statuses a user can choose (`regressed` is computed by the projection, never chosen). */
export const CRASH_GROUP_STATUSES = ["new", "ongoing", "resolved", "ignored"] as const;
export type CrashGroupStatus = (typeof CRASH_GROUP_STATUSES)[number];

export const crashGroupStatusChangedSchema = z.object({
  ingestId: z.string().uuid(),
  /** `crash_groups.id`: `<fingerprint version>:<fingerprint>`. */
  groupId: z.string().min(1).max(200),
  status: z.enum(CRASH_GROUP_STATUSES),
  /** When the user decided: what orders decisions, and what "a crash after the resolution" means. */
  occurredAt: z.string().datetime({ offset: true }),
  // Added later, hence optional (events without them still project as plain decisions):
  /** With `resolved`: "resolved in next release" — only crashes from releases newer than this one reopen the group. */
  resolvedInRelease: z.string().min(1).max(LIMITS.release).optional(),
  /** With `ignored`: until this date (a crash after it brings the group back as `ongoing`). */
  ignoreUntil: z.string().datetime({ offset: true }).optional(),
  /** With `ignored`: until this many more crashes occurred. */
  ignoreCount: z.number().int().min(1).max(1_000_000_000).optional(),
});
export type CrashGroupStatusChanged = z.infer<typeof crashGroupStatusChangedSchema>;

/**
 * Triage as an event: a user's decision is in the log like any crash, so rebuilding the
 * projections replays it instead of losing it. It travels in the crash flow type so Flowcore
 * delivers it with the crashes of its group, but nothing depends on that order: the latest
 * decision by `occurredAt` wins, and the status is recomputed from it and the crashes after it
 * (src/triage/derive-status.ts), so any delivery order lands on the same status and regression.
 */
export const crashGroupStatusChanged = defineContract({
  flowType: CRASH_FLOW,
  eventType: CRASH_GROUP_STATUS_CHANGED,
  description: "A crash group's triage status was changed (new, ongoing, resolved, ignored; optionally resolved in next release or ignored until a date or a count)",
  schema: crashGroupStatusChangedSchema,
  label: "crash_status",
  noun: ["status change", "status changes"],
  tables: ["crash_groups", "crash_group_triage"],
  project: projectStatusChanges,
});
