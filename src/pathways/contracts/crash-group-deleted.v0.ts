import { z } from "zod";
import { defineContract } from "../contract.ts";
import { projectGroupDeletions } from "../handlers/project-crash-triage.ts";
import { CRASH_FLOW } from "./crash.v0.ts";

export const CRASH_GROUP_DELETED = "crash-group.deleted.v0";

export const crashGroupDeletedSchema = z.object({
  ingestId: z.string().uuid(),
  groupId: z.string().min(1).max(200),
  /** When the user deleted it: crashes up to this time are gone for good, later ones start the group again. */
  occurredAt: z.string().datetime({ offset: true }),
});
export type CrashGroupDeleted = z.infer<typeof crashGroupDeletedSchema>;

/**
 * Deleting a group is an event too: were it only a DELETE, the next `--rebuild` would bring the
 * group and its crashes back. The projection deletes them and keeps a tombstone, so a replay (in
 * any order) skips the crashes that occurred before the deletion.
 */
export const crashGroupDeleted = defineContract({
  flowType: CRASH_FLOW,
  eventType: CRASH_GROUP_DELETED,
  description: "A crash group was deleted with its crashes (later crashes of the same bug start it again)",
  schema: crashGroupDeletedSchema,
  label: "crash_delete",
  noun: ["group deletion", "group deletions"],
  tables: ["crashes", "crash_groups", "crash_group_triage"],
  project: projectGroupDeletions,
});
