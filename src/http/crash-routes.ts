import { Type } from "@sinclair/typebox";
import { Elysia } from "elysia";
import { createWebhook, deleteWebhook, listWebhooks, webhookStats } from "../alerts/webhooks.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import type { CrashGroupStatus } from "../pathways/contracts/crash-group-status-changed.v0.ts";
import { changeCrashGroupStatus, checkGroupId, deleteCrashGroup } from "../triage/change-crash-group-status.ts";
import { GROUP_STATUSES } from "../triage/derive-status.ts";
import { currentRelease, findGroup, groupDetail } from "../triage/group-detail.ts";
import { listGroups, parseGroupQuery } from "../triage/list-groups.ts";
import { ChangeOut, DetailOut, GroupOut, StatusBody, WebhookBody, WebhookOut } from "./crash-schemas.ts";
import { ErrorResponse } from "./schemas.ts";

/**
 * Who may do what with crash groups and webhooks: accounts (src/accounts/) answers, through
 * crash-access.ts. Reads need read access to the group's site; changes need an admin with an
 * admin-scope session or token, and browser requests pass the CSRF check.
 */
export interface CrashAccess {
  /** The sites the caller may read (null: every site). 401 when nobody is signed in. */
  readableSites(request: Request): Promise<{ sites: string[] | null; canRead(site: string): Promise<boolean> }>;
  /** Throws 401/403 unless the caller may change triage and alerts (and, for browsers, passes CSRF). */
  requireTriager(request: Request): Promise<void>;
  /** A project's numeric id from its id or slug (404 when unknown). */
  projectId(idOrSlug: string): Promise<number>;
}

/**
 * Crash triage (list, detail, status, delete) and alert webhooks as JSON. Status changes and
 * deletions are events in the log: in embedded mode they are projected before the answer, so the
 * caller sees the result; in Flowcore mode they show once Flowcore delivers them back.
 */
export function crashRoutes(deps: Deps, access: CrashAccess) {
  const sql = deps.database.sql;
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse };
  const d = (summary: string, tag = "crashes") => ({ summary, tags: [tag] });
  const embedded = deps.mode === "embedded";

  /** The group, if the caller may read its site; else the same 404 as for no group (no oracle). */
  async function readableGroup(request: Request, id: string) {
    checkGroupId(id);
    const reader = await access.readableSites(request);
    await deps.ensureSchema();
    const group = await findGroup(sql, id);
    if (!(await reader.canRead(group.site))) throw new AppError(404, "group_not_found", `group: no crash group "${id.slice(0, 80)}"`);
    return group;
  }

  return new Elysia({ name: "crash-routes" })
    .get(
      "/api/crash-groups",
      async ({ request, query }) => {
        const q = parseGroupQuery(query as Record<string, string | undefined>);
        const reader = await access.readableSites(request);
        if (q.site !== undefined && !(await reader.canRead(q.site))) throw new AppError(403, "forbidden", `site: you may not read "${q.site}"`);
        await deps.ensureSchema();
        return listGroups(sql, q, reader.sites);
      },
      {
        query: Type.Object({
          status: Type.Optional(Type.String({ description: `comma-separated: ${GROUP_STATUSES.join(", ")}` })),
          release: Type.Optional(Type.String({ description: "groups that crashed in this release" })),
          site: Type.Optional(Type.String()),
          sort: Type.Optional(Type.String({ description: "last_seen (default), first_seen, occurrences, affected_visitors" })),
          order: Type.Optional(Type.String({ description: "desc (default) or asc" })),
          limit: Type.Optional(Type.String({ description: "1–100, default 25" })),
          offset: Type.Optional(Type.String()),
        }),
        response: { 200: Type.Object({ groups: Type.Array(GroupOut), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }), ...errors },
        detail: d("List crash groups (filter by status, release, site; sort; page)"),
      },
    )
    .get(
      "/api/crash-groups/:id",
      async ({ request, params, query }) => {
        await readableGroup(request, params.id);
        const days = query.days === undefined ? 30 : Number(query.days);
        if (!Number.isInteger(days) || days < 1 || days > 90) throw new AppError(400, "invalid_query", "days: a whole number from 1 to 90");
        return groupDetail(sql, params.id, { days, now: deps.clock() });
      },
      {
        query: Type.Object({ days: Type.Optional(Type.String({ description: "daily counts for this many days (1–90, default 30)" })) }),
        response: { 200: DetailOut, ...errors },
        detail: d("A crash group: latest crash (frames innermost first, in-app marked), breadcrumbs, context, releases, platforms, daily counts"),
      },
    )
    .post(
      "/api/crash-groups/:id/status",
      async ({ request, params, body }) => {
        await access.requireTriager(request);
        await readableGroup(request, params.id);
        if (body.inNextRelease && body.resolvedInRelease) throw new AppError(422, "invalid_status", "inNextRelease: give it or resolvedInRelease, not both");
        let resolvedInRelease = body.resolvedInRelease;
        if (body.inNextRelease) {
          if (body.status !== "resolved") throw new AppError(422, "invalid_status", "inNextRelease goes with status resolved");
          resolvedInRelease = (await currentRelease(sql, params.id)) ?? undefined;
          if (!resolvedInRelease) throw new AppError(422, "invalid_status", "inNextRelease: no crash of this group carries a release; resolve it without inNextRelease");
        }
        const ignoreUntil = body.ignoreUntil === undefined ? undefined : new Date(body.ignoreUntil);
        if (ignoreUntil && Number.isNaN(ignoreUntil.getTime())) throw new AppError(422, "invalid_status", "ignoreUntil: not a date-time");
        const entry = await changeCrashGroupStatus(deps, params.id, body.status as CrashGroupStatus, {
          resolvedInRelease,
          ignoreUntil,
          ignoreCount: body.ignoreCount,
          signal: request.signal,
        });
        if (embedded) await deps.projector.project([entry]);
        return { eventId: entry.ingestId, applied: embedded, group: embedded ? await findGroup(sql, params.id) : null };
      },
      {
        body: StatusBody,
        response: { 200: ChangeOut, ...errors },
        detail: d("Change a group's status: resolve (optionally in the next release), ignore (for ever, until a date or N more crashes), reopen"),
      },
    )
    .delete(
      "/api/crash-groups/:id",
      async ({ request, params }) => {
        await access.requireTriager(request);
        const group = await readableGroup(request, params.id);
        const entry = await deleteCrashGroup(deps, params.id, { signal: request.signal });
        if (embedded) await deps.projector.project([entry]);
        return { eventId: entry.ingestId, applied: embedded, deleted: { group: group.id, crashes: group.occurrences } };
      },
      {
        response: { 200: Type.Object({ eventId: Type.String(), applied: Type.Boolean(), deleted: Type.Object({ group: Type.String(), crashes: Type.Integer() }) }), ...errors },
        detail: d("Delete a group and its crashes (an event: a rebuild does not bring them back; a later crash of the same bug starts a new group)"),
      },
    )
    .get(
      "/api/admin/projects/:id/webhooks",
      async ({ request, params }) => {
        await access.requireTriager(request);
        await deps.ensureSchema();
        const hooks = await listWebhooks(sql, await access.projectId(params.id));
        const stats = await webhookStats(
          sql,
          hooks.map((h) => h.id),
        );
        return { webhooks: hooks.map((h) => ({ ...h, deliveries: stats.get(h.id) ?? { sent: 0, pending: 0, failed: 0, throttled: 0, lastError: null } })) };
      },
      {
        response: { 200: Type.Object({ webhooks: Type.Array(WebhookOut) }), ...errors },
        detail: d("List a project's alert webhooks with their delivery counts", "alerts"),
      },
    )
    .post(
      "/api/admin/projects/:id/webhooks",
      async ({ request, params, body, set }) => {
        await access.requireTriager(request);
        await deps.ensureSchema();
        set.status = 201;
        return { webhook: await createWebhook(sql, await access.projectId(params.id), body) };
      },
      {
        body: WebhookBody,
        response: { 201: Type.Object({ webhook: WebhookOut }), ...errors },
        detail: d("Add an alert webhook: posts on a new crash group and on a regression", "alerts"),
      },
    )
    .delete(
      "/api/admin/projects/:id/webhooks/:webhookId",
      async ({ request, params }) => {
        await access.requireTriager(request);
        if (!/^\d{1,15}$/.test(params.webhookId)) throw new AppError(422, "invalid_webhook", "webhookId: a number");
        await deps.ensureSchema();
        return { webhook: await deleteWebhook(sql, await access.projectId(params.id), Number(params.webhookId)) };
      },
      {
        response: { 200: Type.Object({ webhook: WebhookOut }), ...errors },
        detail: d("Delete an alert webhook (pending deliveries to it are dropped)", "alerts"),
      },
    );
}
