import type { Sql } from "../db/client.ts";
import { FEEDBACK_SUBMITTED } from "../pathways/contracts/index.ts";
import { FEEDBACK_RETENTION_DAYS } from "./feedback-input.ts";

/**
 * Deletes feedback older than `days` (default 365): the rows, and the event log's copies once
 * projected, so a rebuild cannot bring them back. Meant for the retention job, which runs it with
 * the other retention rules. Returns the number of feedback rows deleted.
 */
export async function deleteExpiredFeedback(sql: Sql, now: Date, days = FEEDBACK_RETENTION_DAYS): Promise<number> {
  const [exists] = await sql`select to_regclass('public.feedback')::text as t`;
  if (!exists?.t) return 0;
  const cutoff = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days));
  const r = await sql`delete from feedback where occurred_at < ${cutoff}`;
  await sql`
    delete from event_log
    where event_type = ${FEEDBACK_SUBMITTED} and created_at < ${cutoff}
      and seq <= (select coalesce(min(position), 0) from projection_cursor)`;
  return r.count;
}
