import { Type, type TLiteral, type TUnion } from "@sinclair/typebox";
import { Elysia } from "elysia";
import { ALERT_KINDS, createWebhook, deleteWebhook, listWebhooks, webhookStats } from "../alerts/webhooks.ts";
import { WEBHOOK_FORMATS } from "../alerts/webhook-body.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { CRASH_GROUP_STATUSES, type CrashGroupStatus } from "../pathways/contracts/crash-group-status-changed.v0.ts";
import { changeCrashGroupStatus, checkGroupId, deleteCrashGroup } from "../triage/change-crash-group-status.ts";
import { GROUP_STATUSES } from "../triage/derive-status.ts";
import { currentRelease, findGroup, groupDetail } from "../triage/group-detail.ts";
import { listGroups, parseGroupQuery } from "../triage/list-groups.ts";
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

const iso = Type.String({ format: "date-time" });
const nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
/** A union of string literals that keeps its static type (a plain `.map` widens it to never). */
const oneOf = <T extends readonly string[]>(xs: T, opts: { description?: string } = {}) => Type.Union(xs.map((x) => Type.Literal(x)), opts) as unknown as TUnion<[TLiteral<T[number]>]>;
const GroupStatus = oneOf(GROUP_STATUSES);
const GroupOut = Type.Object({
  id: Type.String({ description: "`<grouping version>:<fingerprint>`" }),
  site: Type.String(),
  errorType: Type.String(),
  message: Type.String(),
  status: GroupStatus,
  firstSeen: iso,
  lastSeen: iso,
  occurrences: Type.Integer(),
  affectedVisitors: Type.Integer({ description: "distinct visitor hashes (daily, per site) that hit it" }),
  releases: Type.Array(Type.String()),
  platforms: Type.Array(Type.String()),
  statusChangedAt: nullable(iso),
  regressedAt: nullable(iso),
  regressedRelease: nullable(Type.String()),
});
const Frame = Type.Object({ file: nullable(Type.String()), function: nullable(Type.String()), line: Type.Union([Type.Integer(), Type.Null()]), column: Type.Union([Type.Integer(), Type.Null()]), inApp: Type.Boolean(), native: Type.Optional(Type.Boolean()) });
const DetailOut = Type.Object({
  group: Type.Composite([GroupOut, Type.Object({ triage: Type.Object({ resolvedInRelease: nullable(Type.String()), ignoreUntil: nullable(iso), ignoreCount: Type.Union([Type.Integer(), Type.Null()]) }) })]),
  representative: Type.Union([
    Type.Object(
      {
        id: Type.String(),
        occurredAt: iso,
        errorType: Type.String(),
        message: Type.String(),
        severity: Type.String(),
        frames: Type.Array(Frame, { description: "innermost first" }),
        rawStack: nullable(Type.String()),
        release: nullable(Type.String()),
        platform: nullable(Type.String()),
        os: nullable(Type.String()),
        osVersion: nullable(Type.String()),
        browser: nullable(Type.String()),
        browserVersion: nullable(Type.String()),
        deviceType: Type.String(),
        pathname: nullable(Type.String()),
        breadcrumbs: Type.Union([Type.Array(Type.Record(Type.String(), Type.Unknown())), Type.Null()]),
        context: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
      },
      { description: "the group's latest crash" },
    ),
    Type.Null(),
  ]),
  releases: Type.Array(Type.Object({ release: nullable(Type.String()), occurrences: Type.Integer(), firstSeen: iso, lastSeen: iso })),
  platforms: Type.Array(Type.Object({ platform: nullable(Type.String()), occurrences: Type.Integer() })),
  daily: Type.Array(Type.Object({ day: Type.String({ format: "date" }), occurrences: Type.Integer() })),
});
const StatusBody = Type.Object({
  status: oneOf(CRASH_GROUP_STATUSES, { description: "`regressed` is never set by hand: the server sets it when a resolved group crashes again" }),
  inNextRelease: Type.Optional(Type.Boolean({ description: "with `resolved`: only crashes from releases newer than the group's newest release reopen it" })),
  resolvedInRelease: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "with `resolved`: resolved for every release after this one" })),
  ignoreUntil: Type.Optional(Type.String({ format: "date-time", description: "with `ignored`: until this date" })),
  ignoreCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: "with `ignored`: until this many more crashes" })),
});
const ChangeOut = Type.Object({
  eventId: Type.String({ description: "the status event in the event log" }),
  applied: Type.Boolean({ description: "false in Flowcore mode: the change shows once Flowcore delivers it back" }),
  group: Type.Union([GroupOut, Type.Null()]),
});
const WebhookOut = Type.Object({
  id: Type.Integer(),
  projectId: Type.Integer(),
  name: Type.String(),
  target: Type.String({ description: "the URL's origin only: the full URL is the receiver's credential" }),
  format: oneOf(WEBHOOK_FORMATS),
  events: Type.Array(oneOf(ALERT_KINDS)),
  createdAt: iso,
  deliveries: Type.Optional(Type.Object({ sent: Type.Integer(), pending: Type.Integer(), failed: Type.Integer(), throttled: Type.Integer(), lastError: nullable(Type.String()) })),
});
const WebhookBody = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 2000, description: "an incoming-webhook URL (Slack, Mattermost, Discord) or any HTTP endpoint" }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  format: Type.Optional(oneOf(WEBHOOK_FORMATS, { description: "default: discord for Discord URLs, else slack (`{ text }`, which Mattermost takes too)" })),
  events: Type.Optional(Type.Array(oneOf(ALERT_KINDS), { minItems: 1, maxItems: 2 })),
});

/**
 * Crash triage (list, detail, status, delete) and alert webhooks as JSON. Status changes and
 * deletions are events in the log: in embedded mode they are projected before the answer, so the
 * caller sees the result; in Flowcore mode they show once Flowcore delivers them back.
 */
export function crashRoutes(deps: Deps, access: CrashAccess) {
  const sql = deps.database.sql;
  const errors = { 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse };
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
        if (!Number.isInteger(days) || days < 1 || days > 90) throw new AppError(422, "invalid_query", "days: a whole number from 1 to 90");
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
        const entry = await changeCrashGroupStatus(deps, params.id, body.status as CrashGroupStatus, { resolvedInRelease, ignoreUntil, ignoreCount: body.ignoreCount, signal: request.signal });
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
        const stats = await webhookStats(sql, hooks.map((h) => h.id));
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
