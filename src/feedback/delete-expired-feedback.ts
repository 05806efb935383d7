import { inTransaction, type Sql } from "../db/client.ts";
import { FEEDBACK_DELETED, FEEDBACK_NOTE_ADDED, FEEDBACK_STATUS_CHANGED, FEEDBACK_SUBMITTED } from "../pathways/contracts/index.ts";
import { FEEDBACK_RETENTION_DAYS } from "./feedback-input.ts";
import { purgeFeedbackEvents } from "./purge-feedback-events.ts";

/**
 * Deletes feedback older than `days` (default 365) with its status, notes and tombstones: the rows, and the
 * event log's copies once projected, so a rebuild cannot bring them back. A status change or a
 * note is always newer than its feedback, so one older than the cutoff belongs to expired
 * feedback even when that feedback is already gone. Meant for the retention job, which runs it
 * with the other retention rules. Returns the number of feedback rows deleted.
 */
export async function deleteExpiredFeedback(sql: Sql, now: Date, days = FEEDBACK_RETENTION_DAYS): Promise<number> {
  const [exists] = await sql`select to_regclass('public.feedback')::text as t, to_regclass('public.feedback_notes')::text as notes`;
  if (!exists?.t) return 0;
  const cutoff = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days));
  const deleted = await inTransaction(sql, async (tx) => {
    const gone = await tx<{ id: string }[]>`delete from feedback where occurred_at < ${cutoff} returning id`;
    const ids = gone.map((r) => r.id);
    if (exists.notes) {
      await tx`delete from feedback_status where feedback_id = any(${ids}::uuid[]) or changed_at < ${cutoff}`;
      await tx`delete from feedback_notes where feedback_id = any(${ids}::uuid[]) or created_at < ${cutoff}`;
    }
    // Tombstones go with the feedback they were about (its submission is purged just below).
    if (exists.notes) await tx`delete from feedback_deletions where deleted_at < ${cutoff}`;
    await tx`
      delete from event_log
      where seq <= (select coalesce(min(position), 0) from projection_cursor)
        and ((event_type = ${FEEDBACK_SUBMITTED} and created_at < ${cutoff})
          or (event_type in (${FEEDBACK_STATUS_CHANGED}, ${FEEDBACK_NOTE_ADDED}, ${FEEDBACK_DELETED})
              and (payload->>'feedbackId' = any(${ids}::text[]) or created_at < ${cutoff})))`;
    return gone.length;
  });
  // Copies of deleted feedback that were not yet projected when it was deleted (now they are).
  if (exists.notes)
    await purgeFeedbackEvents(
      sql,
      (await sql<{ id: string }[]>`select feedback_id::text as id from feedback_deletions`).map((r) => r.id),
    );
  return deleted;
}
