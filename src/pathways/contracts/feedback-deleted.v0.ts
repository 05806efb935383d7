import { z } from "zod";
import { defineContract } from "../contract.ts";
import { projectFeedbackDeletions } from "../handlers/project-feedback-triage.ts";
import { FEEDBACK_FLOW } from "./feedback.v0.ts";

export const FEEDBACK_DELETED = "feedback.deleted.v0";

export const feedbackDeletedSchema = z.object({
  ingestId: z.string().uuid(),
  feedbackId: z.string().uuid(),
  site: z.string().min(1).max(253),
  occurredAt: z.string().datetime({ offset: true }),
});
export type FeedbackDeleted = z.infer<typeof feedbackDeletedSchema>;

/**
 * Deleting feedback is an event (ids only, no text): were it only a DELETE, the next `--rebuild`
 * would bring the feedback back from its `feedback.submitted.v0`. The projection deletes the
 * feedback with its status and notes and keeps a tombstone, so a replay in any order skips them.
 */
export const feedbackDeleted = defineContract({
  flowType: FEEDBACK_FLOW,
  eventType: FEEDBACK_DELETED,
  description: "A feedback was deleted with its status and notes",
  schema: feedbackDeletedSchema,
  label: "feedback_delete",
  noun: ["feedback deletion", "feedback deletions"],
  tables: ["feedback", "feedback_status", "feedback_notes", "feedback_deletions"],
  project: projectFeedbackDeletions,
});
