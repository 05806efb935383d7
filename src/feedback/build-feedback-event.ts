import type { LogEntry } from "../eventlog/local-log.ts";
import { toLogEntry } from "../eventlog/log-entry.ts";
import { scrubMessage, stripQueryAndFragment } from "../crash/scrub.ts";
import { feedbackSubmitted, type FeedbackSubmitted } from "../pathways/contracts/feedback.v0.ts";
import type { FeedbackInput } from "./feedback-input.ts";

/**
 * Feedback → event-log entry. The message is scrubbed like a crash message (emails, IPs, tokens,
 * card numbers, home directories masked): people paste all of those into feedback. The `email`
 * field is kept: the person typed it so that someone can answer. URLs lose their query string
 * and fragment, like every URL we store.
 */
export function buildFeedbackEvent(input: FeedbackInput, at: { ingestId: string; site: string; projectId: number | null; receivedAt: Date }): LogEntry {
  const payload: FeedbackSubmitted = {
    ingestId: at.ingestId,
    site: at.site,
    projectId: at.projectId,
    category: input.category,
    message: scrubFeedbackText(input.message),
    email: input.email,
    url: input.url ? stripQueryAndFragment(input.url).slice(0, 4096) : null,
    release: input.release,
    platform: input.platform,
    environment: input.environment,
    associatedEventId: input.associatedEventId,
    source: input.source,
    occurredAt: at.receivedAt.toISOString(),
    // Only when sent, so events from the other sources keep their original shape.
    ...(input.osVersion ? { osVersion: input.osVersion } : {}),
    ...(input.device && Object.keys(input.device).length > 0 ? { device: input.device } : {}),
  };
  return toLogEntry(feedbackSubmitted, payload);
}

/** scrubMessage caps its output at 2,000 characters; feedback may be 4,096, so scrub in pieces cut at white space. */
export function scrubFeedbackText(message: string): string {
  const parts: string[] = [];
  let rest = message;
  while (rest.length > 0) {
    let cut = rest.length <= 1500 ? rest.length : rest.lastIndexOf(" ", 1500);
    if (cut <= 0) cut = Math.min(rest.length, 1500);
    parts.push(scrubMessage(rest.slice(0, cut)));
    rest = rest.slice(cut);
  }
  return parts.join("").slice(0, 4096) || "(empty)";
}
