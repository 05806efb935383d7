import type { Tx } from "../../db/client.ts";
import type { FeedbackDeleted } from "../contracts/feedback-deleted.v0.ts";
import type { FeedbackNoteAdded } from "../contracts/feedback-note-added.v0.ts";
import type { FeedbackStatusChanged } from "../contracts/feedback-status-changed.v0.ts";

/**
 * Status changes: the latest decision per feedback by its own time (ties: the greater event id)
 * is kept in feedback_status, whatever the order events arrive in or how often; the feedback row
 * then shows it. A decision for feedback not projected yet waits there (projectFeedback applies
 * it). Returns the feedback rows whose status was set.
 */
export async function projectFeedbackStatusChanges(tx: Tx, events: FeedbackStatusChanged[]): Promise<number> {
  const latest = new Map<string, FeedbackStatusChanged>();
  for (const e of await withoutDeleted(tx, events)) {
    const prev = latest.get(e.feedbackId);
    if (!prev || later(e, prev)) latest.set(e.feedbackId, e);
  }
  const rows = [...latest.values()];
  if (rows.length === 0) return 0;
  await tx`
    insert into feedback_status as s (feedback_id, site, status, changed_at, event_id)
    select * from unnest(
      ${rows.map((e) => e.feedbackId)}::uuid[], ${rows.map((e) => e.site)}::text[], ${rows.map((e) => e.status)}::text[],
      ${rows.map((e) => e.occurredAt)}::timestamptz[], ${rows.map((e) => e.ingestId)}::uuid[])
    on conflict (feedback_id) do update set status = excluded.status, changed_at = excluded.changed_at, event_id = excluded.event_id
    where (s.changed_at, s.event_id) < (excluded.changed_at, excluded.event_id)`;
  return applyStatuses(
    tx,
    rows.map((e) => e.feedbackId),
  );
}

function later(a: FeedbackStatusChanged, b: FeedbackStatusChanged): boolean {
  const ta = Date.parse(a.occurredAt);
  const tb = Date.parse(b.occurredAt);
  return ta > tb || (ta === tb && a.ingestId > b.ingestId);
}

/** Copies the kept decision of each of `ids` onto its feedback row (when both exist). */
export async function applyStatuses(tx: Tx, ids: string[]): Promise<number> {
  const r = await tx`
    update feedback f set status = s.status, status_changed_at = s.changed_at
    from feedback_status s
    where s.feedback_id = f.id and f.id = any(${ids}::uuid[])
      and (f.status, f.status_changed_at) is distinct from (s.status, s.changed_at)`;
  return r.count;
}

/** Notes: one row per event, keyed by its id, so redelivery and replay add nothing. */
export async function projectFeedbackNotes(tx: Tx, all: FeedbackNoteAdded[]): Promise<number> {
  const events = await withoutDeleted(tx, all);
  if (events.length === 0) return 0;
  const r = await tx`
    insert into feedback_notes (id, feedback_id, site, body, author_id, created_at)
    select * from unnest(
      ${events.map((e) => e.ingestId)}::uuid[], ${events.map((e) => e.feedbackId)}::uuid[], ${events.map((e) => e.site)}::text[],
      ${events.map((e) => e.note)}::text[], ${events.map((e) => e.authorId)}::bigint[], ${events.map((e) => e.occurredAt)}::timestamptz[])
    on conflict (id) do nothing`;
  return r.count;
}

/**
 * Deletions: a tombstone per feedback, then the feedback, its status and its notes go. Whatever
 * of it is delivered later (a replay, a rebuild, Flowcore's order) is skipped by the tombstone.
 * Returns feedback rows deleted.
 */
export async function projectFeedbackDeletions(tx: Tx, events: FeedbackDeleted[]): Promise<number> {
  if (events.length === 0) return 0;
  const ids = events.map((e) => e.feedbackId);
  await tx`
    insert into feedback_deletions (feedback_id, site, deleted_at)
    select * from unnest(${ids}::uuid[], ${events.map((e) => e.site)}::text[], ${events.map((e) => e.occurredAt)}::timestamptz[])
    on conflict (feedback_id) do nothing`;
  await tx`delete from feedback_status where feedback_id = any(${ids}::uuid[])`;
  await tx`delete from feedback_notes where feedback_id = any(${ids}::uuid[])`;
  return (await tx`delete from feedback where id = any(${ids}::uuid[])`).count;
}

/** The events whose feedback has not been deleted (by id: `feedbackId`, or the feedback's own `ingestId`). */
export async function withoutDeleted<E extends { feedbackId?: string; ingestId: string }>(tx: Tx, events: E[]): Promise<E[]> {
  if (events.length === 0) return events;
  const idOf = (e: E) => e.feedbackId ?? e.ingestId;
  const gone = await tx<{ id: string }[]>`
    select feedback_id::text as id from feedback_deletions where feedback_id = any(${events.map(idOf)}::uuid[])`;
  if (gone.length === 0) return events;
  const set = new Set(gone.map((r) => r.id));
  return events.filter((e) => !set.has(idOf(e)));
}
