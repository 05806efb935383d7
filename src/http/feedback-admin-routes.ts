import { Type, type Static } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { Elysia } from "elysia";
import { checkCsrf } from "../accounts/csrf.ts";
import { findProject, projectSites } from "../accounts/projects.ts";
import { authenticateReader, requireAdmin, type Reader } from "../accounts/reader.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { changeFeedback, deleteFeedback } from "../feedback/change-feedback.ts";
import { FEEDBACK_ID, findFeedback, listFeedback, parseFeedbackQuery, type FeedbackItem } from "../feedback/list-feedback.ts";
import { purgeFeedbackEvents } from "../feedback/purge-feedback-events.ts";
import { FEEDBACK_NOTE_MAX } from "../pathways/contracts/feedback-note-added.v0.ts";
import { FEEDBACK_STATUSES } from "../pathways/contracts/feedback-status-changed.v0.ts";
import { errorResponses } from "./error-docs.ts";
import { validationMessage, type ValidationIssue } from "./validation-message.ts";

const Note = Type.Object({ id: Type.String(), body: Type.String(), author: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String() });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
export const FeedbackOut = Type.Object({
  id: Type.String(),
  site: Type.String(),
  projectId: Type.Union([Type.Integer(), Type.Null()]),
  category: Type.String({ description: "bug, feature or general" }),
  message: Type.String(),
  email: Nullable(Type.String({ description: "only when the person typed it; null for share links" })),
  url: Nullable(Type.String()),
  release: Nullable(Type.String()),
  platform: Nullable(Type.String()),
  environment: Nullable(Type.String()),
  osVersion: Nullable(Type.String()),
  device: Type.Union([Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])), Type.Null()]),
  associatedEventId: Nullable(Type.String({ description: "the crash it is about (Sentry event id or crash id)" })),
  source: Type.String({ description: "api, sentry_feedback, sentry_user_report or oasis" }),
  status: Type.String({ description: FEEDBACK_STATUSES.join(", ") }),
  statusChangedAt: Nullable(Type.String()),
  occurredAt: Type.String(),
  notes: Type.Array(Note, { description: "internal notes, oldest first (none for share links)" }),
});

export const FeedbackPatch = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal("open"), Type.Literal("in_progress"), Type.Literal("closed")], { description: FEEDBACK_STATUSES.join(", ") })),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: FEEDBACK_NOTE_MAX, description: `an internal note to add (≤ ${FEEDBACK_NOTE_MAX} characters)` })),
  },
  { additionalProperties: false, description: "status and/or a note; at least one" },
);
const checkPatch = TypeCompiler.Compile(FeedbackPatch);

/** What a share link may see: not the sender's email, nor the team's internal notes. */
const forReader = (reader: Reader, f: FeedbackItem): FeedbackItem => (reader.principal.kind === "share" ? { ...f, email: null, notes: [] } : f);

/**
 * Feedback for the team: list (filters, paging, newest first), one feedback, and triage (status,
 * notes). Reads follow the crash groups' rules — an admin reads everything, a viewer the projects
 * granted to them, a share link its project (without emails and notes). Changes take an admin with
 * an admin-scope session or token, and browser requests pass the CSRF check. A change is an event
 * in the log: in embedded mode it is projected before the answer; in Flowcore mode it shows once
 * Flowcore delivers it back (`applied: false`).
 */
export function feedbackAdminRoutes(deps: Deps) {
  const sql = deps.database.sql;
  const embedded = deps.mode === "embedded";
  const d = (summary: string) => ({ summary, tags: ["feedback"] });
  const readErrors = errorResponses("invalid_query", "unauthorized", "invalid_token", "invalid_share", "password_required", "setup_required", "forbidden", "project_not_found");

  /** The feedback, if the caller may read its site; else the same 404 as for none (no oracle). */
  async function readable(reader: Reader, id: string): Promise<FeedbackItem> {
    if (!FEEDBACK_ID.test(id)) throw new AppError(422, "invalid_feedback", `id: a feedback id (UUID); got "${id.slice(0, 80)}"`);
    await deps.ensureSchema();
    const found = await findFeedback(sql, id);
    if (!found || !(await reader.canRead(found.site))) throw new AppError(404, "feedback_not_found", `id: no feedback "${id}"`);
    return found;
  }

  return new Elysia({ name: "feedback-admin" })
    .get(
      "/api/admin/feedback",
      async ({ request, query }) => {
        const q = parseFeedbackQuery(query as Record<string, string | undefined>);
        const reader = await authenticateReader(deps, request);
        const sites = reader.isAdmin ? null : (await reader.projects()).flatMap(projectSites);
        if (q.site !== undefined && !(await reader.canRead(q.site))) throw new AppError(403, "forbidden", `site: you may not read "${q.site}"`);
        let projectSitesFilter: string[] | undefined;
        if (q.project !== undefined) {
          const p = await findProject(sql, q.project);
          // Someone who may not read it learns nothing about whether it exists.
          if (!p || (!reader.isAdmin && !(await reader.projects()).some((r) => r.id === p.id))) throw new AppError(404, "project_not_found", `project: no project "${q.project}"`);
          projectSitesFilter = projectSites(p);
        }
        await deps.ensureSchema();
        const page = await listFeedback(sql, { ...q, sites: projectSitesFilter }, sites);
        return { ...page, feedback: page.feedback.map((f) => forReader(reader, f)) };
      },
      {
        query: Type.Object({
          site: Type.Optional(Type.String({ description: "one site (domain or project slug)" })),
          project: Type.Optional(Type.String({ description: "a project's id or slug: all its sites" })),
          status: Type.Optional(Type.String({ description: `comma-separated: ${FEEDBACK_STATUSES.join(", ")}` })),
          category: Type.Optional(Type.String({ description: "comma-separated: bug, feature, general" })),
          release: Type.Optional(Type.String()),
          limit: Type.Optional(Type.String({ description: "1–100, default 25" })),
          offset: Type.Optional(Type.String()),
        }),
        response: {
          200: Type.Object({ feedback: Type.Array(FeedbackOut), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }),
          ...readErrors,
        },
        detail: d("List feedback, newest first (filter by site or project, status, category, release; page with limit and offset)"),
      },
    )
    .get(
      "/api/admin/feedback/:id",
      async ({ request, params }) => {
        const reader = await authenticateReader(deps, request);
        return { feedback: forReader(reader, await readable(reader, params.id)) };
      },
      {
        response: { 200: Type.Object({ feedback: FeedbackOut }), ...readErrors, ...errorResponses("invalid_feedback", "feedback_not_found") },
        detail: d("One feedback with its status and internal notes"),
      },
    )
    .patch(
      "/api/admin/feedback/:id",
      async ({ request, params, body }) => {
        checkCsrf(request, deps.config.publicUrl);
        const reader = requireAdmin(await authenticateReader(deps, request), true);
        if (!checkPatch.Check(body)) throw new AppError(422, "invalid_body", validationMessage([...checkPatch.Errors(body)].slice(0, 20) as ValidationIssue[]));
        const patch = body as Static<typeof FeedbackPatch>;
        const found = await readable(reader, params.id);
        const entries = await changeFeedback(
          deps,
          { id: found.id, site: found.site },
          { status: patch.status, note: patch.note, authorId: reader.principal.user.id },
          { signal: request.signal },
        );
        if (embedded) await deps.projector.project(entries);
        return { eventIds: entries.map((e) => e.ingestId), applied: embedded, feedback: embedded ? await findFeedback(sql, found.id) : null };
      },
      {
        response: {
          200: Type.Object({
            eventIds: Type.Array(Type.String()),
            applied: Type.Boolean({ description: "true once projected (embedded mode); in Flowcore mode it shows when Flowcore delivers it back" }),
            feedback: Type.Union([FeedbackOut, Type.Null()]),
          }),
          ...readErrors,
          ...errorResponses("csrf_rejected", "invalid_body", "invalid_feedback", "feedback_not_found", "unavailable"),
        },
        detail: {
          ...d("Change a feedback's status (open, in_progress, closed) and/or add an internal note (admins; events, so they survive a rebuild)"),
          requestBody: { content: { "application/json": { schema: FeedbackPatch } } },
        } as never,
      },
    )
    .delete(
      "/api/admin/feedback/:id",
      async ({ request, params }) => {
        checkCsrf(request, deps.config.publicUrl);
        const reader = requireAdmin(await authenticateReader(deps, request), true);
        const found = await readable(reader, params.id);
        const entry = await deleteFeedback(deps, { id: found.id, site: found.site }, { signal: request.signal });
        if (embedded) {
          await deps.projector.project([entry]);
          await purgeFeedbackEvents(sql, [found.id]);
        }
        return { eventId: entry.ingestId, applied: embedded, deleted: { id: found.id, notes: found.notes.length } };
      },
      {
        response: {
          200: Type.Object({ eventId: Type.String(), applied: Type.Boolean(), deleted: Type.Object({ id: Type.String(), notes: Type.Integer() }) }),
          ...readErrors,
          ...errorResponses("csrf_rejected", "invalid_feedback", "feedback_not_found", "unavailable"),
        },
        detail: d("Delete a feedback with its status and notes (admins; an event, so a rebuild does not bring it back; the text leaves the local event log)"),
      },
    );
}
