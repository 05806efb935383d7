import type { FeedbackInput } from "../../../feedback/feedback-input.ts";
import { eventId, record, text } from "./clean.ts";

/**
 * A `feedback` item (the feedback widget and `captureFeedback`: an event whose
 * `contexts.feedback` holds the message) or a legacy `user_report` item (`comments`) →
 * feedback. The email is the one typed into the form (`contact_email` / the report's `email`);
 * `user.email` and the reporter's `name` are never read. Null when there is no message.
 */
export function sentryFeedback(type: "feedback" | "user_report", item: Record<string, unknown>): FeedbackInput | null {
  const fb = type === "feedback" ? record(record(item.contexts)?.feedback) : item;
  if (!fb) return null;
  const message = text(type === "feedback" ? fb.message : fb.comments, 4096);
  if (!message) return null;
  const associated = eventId(type === "feedback" ? fb.associated_event_id : fb.event_id);
  const email = text(type === "feedback" ? fb.contact_email : fb.email, 254);
  return {
    category: associated ? "bug" : "general",
    message,
    email: email && /^[^\s@]+@[^\s@]+$/.test(email) ? email : null,
    url: text(fb.url, 4096) ?? text(record(item.request)?.url, 4096),
    release: text(item.release, 200),
    platform: text(item.platform, 100),
    environment: text(item.environment, 64),
    associatedEventId: associated,
    source: type === "feedback" ? "sentry_feedback" : "sentry_user_report",
  };
}
