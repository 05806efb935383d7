import type { FeedbackInput } from "../../../feedback/feedback-input.ts";
import { eventId } from "./clean.ts";
import { parseItemJson, type Envelope } from "./envelope.ts";
import { sentryEventToCrash, type SentryCrash } from "./event-to-crash.ts";
import { sentryFeedback } from "./feedback.ts";
import { sessionAggregateCounts, sessionUpdateCounts, type SessionCounts, type SessionMemory } from "./sessions.ts";

/** What one envelope asks the pipeline to record, typed by what it becomes. */
export type SentryIngest = { kind: "crash"; crash: SentryCrash } | { kind: "feedback"; feedback: FeedbackInput } | { kind: "sessions"; counts: SessionCounts };

export interface AdaptedEnvelope {
  /** The id the SDK expects back: the envelope's event_id, else its first event's. */
  eventId: string | null;
  requests: SentryIngest[];
  /** Items accepted and not kept (transactions, spans, replays, client reports, …), by type. */
  discarded: Record<string, number>;
}

/**
 * Envelope → typed ingest requests. Every item we keep is parsed before anything is recorded,
 * so an envelope with one broken item (invalid JSON, not an object) is rejected whole with a
 * 400 and nothing from it is stored. Item types we do not keep are not parsed at all: they are
 * counted and dropped, and their content can neither fail nor reach the envelope.
 */
export function adaptEnvelope(env: Envelope, ctx: { projectId: number; sessions: SessionMemory; now: Date }): AdaptedEnvelope {
  const requests: SentryIngest[] = [];
  const discarded: Record<string, number> = {};
  let firstEventId: string | null = null;
  // Session flags are claimed only once the whole envelope parsed, so a rejected envelope
  // leaves the de-duplication memory as it was.
  const sessionItems: Record<string, unknown>[] = [];
  env.items.forEach((item, i) => {
    switch (item.type) {
      case "event": {
        const crash = sentryEventToCrash(parseItemJson(item, i));
        // The envelope header's event_id names its event when the payload leaves it out.
        if (crash.eventId === null && firstEventId === null) crash.eventId = eventId(env.header.event_id);
        firstEventId ??= crash.eventId;
        requests.push({ kind: "crash", crash });
        break;
      }
      case "feedback":
      case "user_report": {
        const payload = parseItemJson(item, i);
        firstEventId ??= eventId(payload.event_id);
        const feedback = sentryFeedback(item.type, payload);
        if (feedback) requests.push({ kind: "feedback", feedback });
        else discarded[item.type] = (discarded[item.type] ?? 0) + 1;
        break;
      }
      case "session":
        sessionItems.push(parseItemJson(item, i));
        break;
      case "sessions":
        for (const counts of sessionAggregateCounts(parseItemJson(item, i), ctx.now)) requests.push({ kind: "sessions", counts });
        break;
      default: {
        // client_report, transaction, span, profile, replay_*, log, check_in, attachment, unknown.
        const type = knownDiscardedType(item.type);
        discarded[type] = (discarded[type] ?? 0) + 1;
      }
    }
  });
  for (const s of sessionItems) {
    const counts = sessionUpdateCounts(s, ctx.projectId, ctx.sessions, ctx.now);
    if (counts) requests.push({ kind: "sessions", counts });
  }
  return { eventId: eventId(env.header.event_id) ?? firstEventId, requests, discarded };
}

const DISCARDED = new Set([
  "client_report",
  "transaction",
  "span",
  "profile",
  "profile_chunk",
  "replay_event",
  "replay_recording",
  "replay_video",
  "log",
  "otel_log",
  "check_in",
  "attachment",
  "statsd",
  "metric_meta",
  "trace_metric",
  "raw_security",
  "nel",
  "security",
]);

/** Metric labels come from a closed list, so a client cannot create label values at will. */
function knownDiscardedType(type: string): string {
  return DISCARDED.has(type) ? type : "unknown";
}
