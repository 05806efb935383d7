import { z } from "zod";
import { defineContract } from "../contract.ts";
import { projectFeedbackNotes } from "../handlers/project-feedback-triage.ts";
import { FEEDBACK_FLOW } from "./feedback.v0.ts";

export const FEEDBACK_NOTE_ADDED = "feedback.note-added.v0";
export const FEEDBACK_NOTE_MAX = 4096;

export const feedbackNoteAddedSchema = z.object({
  ingestId: z.string().uuid(),
  feedbackId: z.string().uuid(),
  site: z.string().min(1).max(253),
  /** The team's internal note (never shown to the person who wrote the feedback). */
  note: z.string().min(1).max(FEEDBACK_NOTE_MAX),
  /** The account that wrote it (users.id), null when unknown; its email is looked up when read. */
  authorId: z.number().int().positive().nullable(),
  occurredAt: z.string().datetime({ offset: true }),
});
export type FeedbackNoteAdded = z.infer<typeof feedbackNoteAddedSchema>;

/** An internal note on feedback, as an event so a rebuild keeps it (one row per event). */
export const feedbackNoteAdded = defineContract({
  flowType: FEEDBACK_FLOW,
  eventType: FEEDBACK_NOTE_ADDED,
  description: "A team member added an internal note to a feedback",
  schema: feedbackNoteAddedSchema,
  label: "feedback_note",
  noun: ["feedback note", "feedback notes"],
  tables: ["feedback_notes"],
  project: projectFeedbackNotes,
});
