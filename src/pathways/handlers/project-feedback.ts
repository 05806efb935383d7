import type { Tx } from "../../db/client.ts";
import type { FeedbackSubmitted } from "../contracts/feedback.v0.ts";

/** Projects feedback into `feedback`, idempotent on the ingest id (replays add nothing). */
export async function projectFeedback(sql: Tx, events: FeedbackSubmitted[]): Promise<number> {
  if (events.length === 0) return 0;
  const rows = events.map((e) => ({
    id: e.ingestId,
    site: e.site,
    project_id: e.projectId,
    category: e.category,
    message: e.message,
    email: e.email,
    url: e.url,
    release: e.release,
    platform: e.platform,
    environment: e.environment,
    associated_event_id: e.associatedEventId,
    source: e.source,
    occurred_at: new Date(e.occurredAt),
  }));
  const r = await sql`insert into feedback ${sql(rows)} on conflict (id) do nothing`;
  return r.count;
}
