import type { Tx } from "../../db/client.ts";
import type { FeedbackSubmitted } from "../contracts/feedback.v0.ts";
import { applyStatuses, withoutDeleted } from "./project-feedback-triage.ts";

/** Projects feedback into `feedback`, idempotent on the ingest id (replays add nothing). */
export async function projectFeedback(sql: Tx, all: FeedbackSubmitted[]): Promise<number> {
  // Deleted feedback stays deleted when its submission is replayed.
  const events = await withoutDeleted(sql, all);
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
    os_version: e.osVersion ?? null,
    device: e.device ? sql.json(e.device) : null,
    occurred_at: new Date(e.occurredAt),
  }));
  const inserted = await sql<{ id: string }[]>`insert into feedback ${sql(rows)} on conflict (id) do nothing returning id`;
  // A status decision delivered before its feedback (Flowcore delivers flows independently, and
  // a rebuild may replay in any order) is waiting in feedback_status: apply it now.
  if (inserted.length > 0)
    await applyStatuses(
      sql,
      inserted.map((r) => r.id),
    );
  return inserted.length;
}
