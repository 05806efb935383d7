import { z } from "zod";
import type { Tx } from "../../db/client.ts";
import { defineContract } from "../contract.ts";
import { CRASH_FLOW } from "./crash.v0.ts";

export const CRASH_GROUP_STATUS_CHANGED = "crash-group.status-changed.v0";
export const CRASH_GROUP_STATUSES = ["new", "resolved", "ignored"] as const;
export type CrashGroupStatus = (typeof CRASH_GROUP_STATUSES)[number];

export const crashGroupStatusChangedSchema = z.object({
  ingestId: z.string().uuid(),
  /** `crash_groups.id`: `<fingerprint version>:<fingerprint>`. */
  groupId: z.string().min(1).max(200),
  status: z.enum(CRASH_GROUP_STATUSES),
  occurredAt: z.string().datetime({ offset: true }),
});
export type CrashGroupStatusChanged = z.infer<typeof crashGroupStatusChangedSchema>;

/**
 * Triage as an event: a user's "resolved" or "ignored" is in the log like any crash, so
 * rebuilding the projections replays it instead of losing it. It travels in the crash flow type
 * so Flowcore delivers it after the crashes that created its group; the registry lists it after
 * crashes so a batch holding both creates the group first. Applied in log order: the last change wins.
 */
export const crashGroupStatusChanged = defineContract({
  flowType: CRASH_FLOW,
  eventType: CRASH_GROUP_STATUS_CHANGED,
  description: "A crash group's triage status was changed (new, resolved or ignored)",
  schema: crashGroupStatusChangedSchema,
  label: "crash_status",
  noun: ["status change", "status changes"],
  tables: ["crash_groups"],
  async project(tx: Tx, events: CrashGroupStatusChanged[]): Promise<number> {
    let n = 0;
    for (const e of events) n += (await tx`update crash_groups set status = ${e.status} where id = ${e.groupId} and status <> ${e.status}`).count;
    return n;
  },
});
