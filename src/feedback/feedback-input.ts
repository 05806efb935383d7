import type { FeedbackSource } from "../pathways/contracts/feedback.v0.ts";

/** Feedback as every ingest path hands it over (our API, Sentry `feedback` and `user_report`, the Oasis SDK). */
export interface FeedbackInput {
  category: "bug" | "feature" | "general";
  message: string;
  /** Only when the person typed it into the form. */
  email: string | null;
  url: string | null;
  release: string | null;
  platform: string | null;
  environment: string | null;
  /** The crash this feedback is about: a Sentry event id or one of our crash ids (32 hex). */
  associatedEventId: string | null;
  source: FeedbackSource;
  /** The Oasis SDK's `osVersion` and the kept part of its `deviceInfo`. */
  osVersion?: string | null;
  device?: Record<string, string | number | boolean> | null;
}

export const FEEDBACK_CATEGORIES = ["bug", "feature", "general"] as const;
export { FEEDBACK_STATUSES } from "../pathways/contracts/feedback-status-changed.v0.ts";
export const FEEDBACK_MESSAGE_MAX = 4096;
/** Default retention of feedback rows (README: "Feedback"). */
export const FEEDBACK_RETENTION_DAYS = 365;
