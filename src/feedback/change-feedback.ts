import type { Clock } from "../clock.ts";
import { AppError } from "../errors.ts";
import type { EventLog, LogEntry } from "../eventlog/local-log.ts";
import { toLogEntry } from "../eventlog/log-entry.ts";
import type { Contract } from "../pathways/contract.ts";
import { feedbackDeleted } from "../pathways/contracts/feedback-deleted.v0.ts";
import { feedbackNoteAdded } from "../pathways/contracts/feedback-note-added.v0.ts";
import { feedbackStatusChanged, type FeedbackStatus } from "../pathways/contracts/feedback-status-changed.v0.ts";

export interface FeedbackChangeDeps {
  eventLog: EventLog;
  clock: Clock;
  newId?: () => string;
}

export interface FeedbackChange {
  status?: FeedbackStatus;
  /** An internal note to add (trimmed; 1–4,096 characters). */
  note?: string;
  /** The account making the change (users.id), or null. */
  authorId: number | null;
}

/**
 * Feedback triage as events: a status change (`feedback.status-changed.v0`) and/or a note
 * (`feedback.note-added.v0`), appended to the event log and resolved once durable, so the
 * projection shows them and a rebuild replays them. Both are validated before either is
 * appended, and appended all or nothing (one commit), so a change is never half stored. The caller
 * has checked that the feedback exists and that the caller may change it.
 */
export async function changeFeedback(
  deps: FeedbackChangeDeps,
  feedback: { id: string; site: string },
  change: FeedbackChange,
  opts: { at?: Date; signal?: AbortSignal } = {},
): Promise<LogEntry[]> {
  const occurredAt = (opts.at ?? deps.clock()).toISOString();
  const newId = deps.newId ?? (() => Bun.randomUUIDv7());
  const base = { feedbackId: feedback.id, site: feedback.site, occurredAt };
  const entries: LogEntry[] = [];
  if (change.note !== undefined) {
    const note = change.note.trim();
    if (note === "") throw new AppError(422, "invalid_body", "note: write at least one character that is not white space");
    entries.push(entry(feedbackNoteAdded, { ingestId: newId(), ...base, note, authorId: change.authorId }));
  }
  if (change.status !== undefined) entries.push(entry(feedbackStatusChanged, { ingestId: newId(), ...base, status: change.status }));
  if (entries.length === 0) throw new AppError(422, "invalid_body", "status or note: send at least one of them");
  await deps.eventLog.appendAll(entries, opts.signal);
  return entries;
}

/**
 * Deletion as an event (`feedback.deleted.v0`, ids only), so a rebuild does not bring the
 * feedback back. The caller has checked that the feedback exists and that the caller may delete it.
 */
export async function deleteFeedback(deps: FeedbackChangeDeps, feedback: { id: string; site: string }, opts: { at?: Date; signal?: AbortSignal } = {}): Promise<LogEntry> {
  const e = entry(feedbackDeleted, {
    ingestId: (deps.newId ?? (() => Bun.randomUUIDv7()))(),
    feedbackId: feedback.id,
    site: feedback.site,
    occurredAt: (opts.at ?? deps.clock()).toISOString(),
  });
  await deps.eventLog.append(e, opts.signal);
  return e;
}

function entry(contract: Contract, payload: Record<string, unknown> & { ingestId: string }): LogEntry {
  const checked = contract.schema.safeParse(payload);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new AppError(422, "invalid_body", `${issue?.path.join(".")}: ${issue?.message ?? "invalid"}`);
  }
  return toLogEntry(contract, payload);
}
