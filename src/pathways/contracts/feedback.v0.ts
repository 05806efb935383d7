import { z } from "zod";
import { defineContract } from "../contract.ts";
import { projectFeedback } from "../handlers/project-feedback.ts";

export const FEEDBACK_FLOW = "feedback.v0";
export const FEEDBACK_SUBMITTED = "feedback.submitted.v0";
/** Where feedback came from: our API, a Sentry item, or seed 002's Oasis SDK. */
export const FEEDBACK_SOURCES = ["api", "sentry_feedback", "sentry_user_report", "oasis"] as const;
export type FeedbackSource = (typeof FEEDBACK_SOURCES)[number];

/**
 * Feedback a person wrote (our form API, a Sentry `feedback` or `user_report` item, the Oasis SDK). No visitor
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
  // "oasis" (seed 002's SDK) was added later: widening the enum keeps every stored event valid.
  source: z.enum(FEEDBACK_SOURCES),
  occurredAt: z.string().datetime({ offset: true }),
  // Added later, hence optional (events without them still project):
  /** The app's OS version (Oasis SDK `osVersion`). */
  osVersion: z.string().max(100).nullable().optional(),
  /** Device details worth sorting feedback by (model, architecture, memory…): never an identifier. */
  device: z
    .record(z.string().max(64), z.union([z.string().max(200), z.number(), z.boolean()]))
    .nullable()
    .optional(),
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
