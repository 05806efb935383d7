import { z } from "zod";
import { defineContract } from "../contract.ts";
import { projectFeedbackStatusChanges } from "../handlers/project-feedback-triage.ts";
import { FEEDBACK_FLOW } from "./feedback.v0.ts";

export const FEEDBACK_STATUS_CHANGED = "feedback.status-changed.v0";
export const FEEDBACK_STATUSES = ["open", "in_progress", "closed"] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

export const feedbackStatusChangedSchema = z.object({
  ingestId: z.string().uuid(),
  /** `feedback.id`: the ingest id of the feedback's `feedback.submitted.v0`. */
  feedbackId: z.string().uuid(),
  /** The feedback's site: deleting a project deletes its events by site. */
  site: z.string().min(1).max(253),
  status: z.enum(FEEDBACK_STATUSES),
  /** When the user decided: the latest decision by this time wins, whatever the delivery order. */
  occurredAt: z.string().datetime({ offset: true }),
});
export type FeedbackStatusChanged = z.infer<typeof feedbackStatusChangedSchema>;

/**
 * Feedback triage as an event, like a crash group's: the team's decision is in the log, so a
 * `--rebuild` or a replay lands on the same status instead of resetting everything to `open`.
 */
export const feedbackStatusChanged = defineContract({
  flowType: FEEDBACK_FLOW,
  eventType: FEEDBACK_STATUS_CHANGED,
  description: "A feedback's status was changed (open, in_progress, closed)",
  schema: feedbackStatusChangedSchema,
  label: "feedback_status",
  noun: ["feedback status change", "feedback status changes"],
  tables: ["feedback", "feedback_status"],
  project: projectFeedbackStatusChanges,
});
