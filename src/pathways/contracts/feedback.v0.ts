import { z } from "zod";
import { defineContract } from "../contract.ts";
import { projectFeedback } from "../handlers/project-feedback.ts";

export const FEEDBACK_FLOW = "feedback.v0";
export const FEEDBACK_SUBMITTED = "feedback.submitted.v0";

/**
 * Feedback a person wrote (our form API, a Sentry `feedback` or `user_report` item). No visitor
 * hash and no client details: the message and what the person chose to add are the whole point.
 * `associatedEventId` links it to a crash (a Sentry event id or one of our crash ids, 32 hex).
 */
export const feedbackSubmittedSchema = z.object({
  ingestId: z.string().uuid(),
  site: z.string().min(1).max(253),
  projectId: z.number().int().positive().nullable(),
  category: z.enum(["bug", "feature", "general"]),
  message: z.string().min(1).max(4096),
  email: z.string().max(254).nullable(),
  url: z.string().max(4096).nullable(),
  release: z.string().max(200).nullable(),
  platform: z.string().max(100).nullable(),
  environment: z.string().max(64).nullable(),
  associatedEventId: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .nullable(),
  source: z.enum(["api", "sentry_feedback", "sentry_user_report"]),
  occurredAt: z.string().datetime({ offset: true }),
});
export type FeedbackSubmitted = z.infer<typeof feedbackSubmittedSchema>;

export const feedbackSubmitted = defineContract({
  flowType: FEEDBACK_FLOW,
  eventType: FEEDBACK_SUBMITTED,
  description: "A person sent feedback (optionally about a crash)",
  schema: feedbackSubmittedSchema,
  label: "feedback",
  noun: ["feedback", "feedback"],
  tables: ["feedback"],
  project: projectFeedback,
});
