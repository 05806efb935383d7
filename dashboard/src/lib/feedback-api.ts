import { api } from "./api.ts";

/** The feedback admin API (list, status, notes). Shapes as documented in /swagger. */
export type FeedbackStatus = "open" | "in_progress" | "closed";
export type FeedbackCategory = "bug" | "feature" | "general";
export interface FeedbackNote {
  id: string;
  body: string;
  author: string | null;
  createdAt: string;
}
export interface Feedback {
  id: string;
  site: string;
  category: FeedbackCategory;
  message: string;
  email: string | null;
  url: string | null;
  release: string | null;
  platform: string | null;
  osVersion: string | null;
  associatedEventId: string | null;
  source: string;
  status: FeedbackStatus;
  statusChangedAt: string | null;
  occurredAt: string;
  notes: FeedbackNote[];
}
export interface FeedbackPage {
  feedback: Feedback[];
  total: number;
  limit: number;
  offset: number;
}

export const FEEDBACK_STATUS_LABELS: Record<FeedbackStatus, string> = { open: "Open", in_progress: "In progress", closed: "Closed" };
export const FEEDBACK_CATEGORY_LABELS: Record<FeedbackCategory, string> = { bug: "Bug", feature: "Idea", general: "General" };
export const FEEDBACK_PAGE_SIZE = 20;

export function listFeedback(
  site: string,
  filter: { status: FeedbackStatus | null; category: FeedbackCategory | null; offset: number },
  signal?: AbortSignal,
): Promise<FeedbackPage> {
  const params = new URLSearchParams({ site, limit: String(FEEDBACK_PAGE_SIZE), offset: String(filter.offset) });
  if (filter.status) params.set("status", filter.status);
  if (filter.category) params.set("category", filter.category);
  return api<FeedbackPage>(`/api/admin/feedback?${params}`, { signal });
}

/** A status change and/or a note (admins). */
export function changeFeedback(id: string, change: { status?: FeedbackStatus; note?: string }): Promise<{ feedback: Feedback | null }> {
  return api(`/api/admin/feedback/${encodeURIComponent(id)}`, { method: "PATCH", body: change });
}

/** Deletes a feedback with its status and notes (admins). */
export function deleteFeedback(id: string): Promise<unknown> {
  return api(`/api/admin/feedback/${encodeURIComponent(id)}`, { method: "DELETE" });
}
