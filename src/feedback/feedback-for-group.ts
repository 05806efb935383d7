import type { Sql } from "../db/client.ts";

export interface FeedbackRow {
  id: string;
  category: string;
  message: string;
  email: string | null;
  url: string | null;
  release: string | null;
  status: string;
  occurredAt: Date;
}

/**
 * The feedback about the crashes of one group: feedback whose `associated_event_id` is one of
 * the group's crashes (by Sentry event id or by our crash id). A join at read time, so the crash
 * and its feedback may arrive, and be replayed, in any order.
 */
export async function feedbackForGroup(sql: Sql, groupId: string, limit = 100): Promise<FeedbackRow[]> {
  const exists = await sql`select to_regclass('public.feedback')::text as t`;
  if (!exists[0]?.t) return [];
  return sql<FeedbackRow[]>`
    select f.id, f.category, f.message, f.email, f.url, f.release, f.status, f.occurred_at as "occurredAt"
    from feedback f
    where f.associated_event_id is not null and exists (
      select 1 from crashes c
      where c.group_id = ${groupId}
        and (c.event_id = f.associated_event_id or c.id = f.associated_event_id::uuid)
    )
    order by f.occurred_at desc
    limit ${limit}`;
}
