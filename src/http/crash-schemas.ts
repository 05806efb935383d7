import { Type, type TLiteral, type TUnion } from "@sinclair/typebox";
import { ALERT_KINDS } from "../alerts/webhooks.ts";
import { WEBHOOK_FORMATS } from "../alerts/webhook-body.ts";
import { CRASH_GROUP_STATUSES } from "../pathways/contracts/crash-group-status-changed.v0.ts";
import { GROUP_STATUSES } from "../triage/derive-status.ts";

/** Bodies and answers of the crash-group and webhook routes (validation and /swagger). */
const iso = Type.String({ format: "date-time" });
const nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
/** A union of string literals that keeps its static type (a plain `.map` widens it to never). */
const oneOf = <T extends readonly string[]>(xs: T, opts: { description?: string } = {}) =>
  Type.Union(
    xs.map((x) => Type.Literal(x)),
    opts,
  ) as unknown as TUnion<[TLiteral<T[number]>]>;
const GroupStatus = oneOf(GROUP_STATUSES);
export const GroupOut = Type.Object({
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
const Frame = Type.Object({
  file: nullable(Type.String()),
  function: nullable(Type.String()),
  line: Type.Union([Type.Integer(), Type.Null()]),
  column: Type.Union([Type.Integer(), Type.Null()]),
  inApp: Type.Boolean(),
  native: Type.Optional(Type.Boolean()),
});
export const DetailOut = Type.Object({
  group: Type.Composite([
    GroupOut,
    Type.Object({ triage: Type.Object({ resolvedInRelease: nullable(Type.String()), ignoreUntil: nullable(iso), ignoreCount: Type.Union([Type.Integer(), Type.Null()]) }) }),
  ]),
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
  feedback: Type.Array(
    Type.Object({
      id: Type.String(),
      category: Type.String(),
      message: Type.String(),
      email: nullable(Type.String({ description: "only when the person typed it" })),
      url: nullable(Type.String()),
      release: nullable(Type.String()),
      status: Type.String(),
      occurredAt: iso,
    }),
    { description: "feedback about this group's crashes (linked by event id), newest first" },
  ),
});
export const StatusBody = Type.Object({
  status: oneOf(CRASH_GROUP_STATUSES, { description: "`regressed` is never set by hand: the server sets it when a resolved group crashes again" }),
  inNextRelease: Type.Optional(Type.Boolean({ description: "with `resolved`: only crashes from releases newer than the group's newest release reopen it" })),
  resolvedInRelease: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "with `resolved`: resolved for every release after this one" })),
  ignoreUntil: Type.Optional(Type.String({ format: "date-time", description: "with `ignored`: until this date" })),
  ignoreCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: "with `ignored`: until this many more crashes" })),
});
export const ChangeOut = Type.Object({
  eventId: Type.String({ description: "the status event in the event log" }),
  applied: Type.Boolean({ description: "false in Flowcore mode: the change shows once Flowcore delivers it back" }),
  group: Type.Union([GroupOut, Type.Null()]),
});
export const WebhookOut = Type.Object({
  id: Type.Integer(),
  projectId: Type.Integer(),
  name: Type.String(),
  target: Type.String({ description: "the URL's origin only: the full URL is the receiver's credential" }),
  format: oneOf(WEBHOOK_FORMATS),
  events: Type.Array(oneOf(ALERT_KINDS)),
  createdAt: iso,
  deliveries: Type.Optional(Type.Object({ sent: Type.Integer(), pending: Type.Integer(), failed: Type.Integer(), throttled: Type.Integer(), lastError: nullable(Type.String()) })),
});
export const WebhookBody = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 2000, description: "an incoming-webhook URL (Slack, Mattermost, Discord) or any HTTP endpoint" }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  format: Type.Optional(oneOf(WEBHOOK_FORMATS, { description: "default: discord for Discord URLs, else slack (`{ text }`, which Mattermost takes too)" })),
  events: Type.Optional(Type.Array(oneOf(ALERT_KINDS), { minItems: 1, maxItems: 2 })),
});
