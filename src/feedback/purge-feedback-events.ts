import type { Sql } from "../db/client.ts";
import { FEEDBACK_NOTE_ADDED, FEEDBACK_STATUS_CHANGED, FEEDBACK_SUBMITTED } from "../pathways/contracts/index.ts";

/**
 * Removes the local event log's copies of deleted feedback — what the person wrote, and the
 * team's status changes and notes — once projected, so the text is gone from this server, not
 * only hidden. The deletion event (ids only) stays: it is what keeps a replay from bringing
 * anything back. (In Flowcore mode Flowcore keeps its own copies; the tombstone covers them.)
 * Returns the events removed.
 */
export async function purgeFeedbackEvents(sql: Sql, feedbackIds: string[]): Promise<number> {
  if (feedbackIds.length === 0) return 0;
  const r = await sql`
    delete from event_log
    where seq <= (select coalesce(min(position), 0) from projection_cursor)
      and ((event_type = ${FEEDBACK_SUBMITTED} and ingest_id = any(${feedbackIds}::uuid[]))
        or (event_type in (${FEEDBACK_STATUS_CHANGED}, ${FEEDBACK_NOTE_ADDED}) and payload->>'feedbackId' = any(${feedbackIds}::text[])))`;
  return r.count;
}
