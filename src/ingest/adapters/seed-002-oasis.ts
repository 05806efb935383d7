import { Type, type Static } from "@sinclair/typebox";
import { AppError } from "../../errors.ts";
import { LIMITS } from "../../limits.ts";
import type { IngestRequest } from "../types.ts";
import { base, defineRoute, type HttpContext, type IngestAdapter } from "./adapter.ts";

const Frame = Type.Object({
  file: Type.Optional(Type.String({ maxLength: LIMITS.frameFile })),
  line: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.Integer()),
  function: Type.Optional(Type.String({ maxLength: LIMITS.frameFunction })),
  isNative: Type.Optional(Type.Boolean()),
});
const Obj = (description: string) => Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: LIMITS.contextKeys, description }));

/** The Oasis RFC's crash body. `userId` is accepted so its SDK works, and never read. */
export const OasisCrashBody = Type.Object(
  {
    errorType: Type.String({ minLength: 1, maxLength: LIMITS.errorType }),
    errorMessage: Type.String({ maxLength: LIMITS.message }),
    stackTrace: Type.Array(Frame, { maxItems: LIMITS.frames }),
    appVersion: Type.String({ maxLength: LIMITS.release }),
    platform: Type.String({ maxLength: LIMITS.platform }),
    osVersion: Type.Optional(Type.String({ maxLength: LIMITS.crashOsVersion })),
    deviceInfo: Obj("Kept as context.device: model, manufacturer, architecture, memory, CPU (identifiers are dropped)"),
    appState: Obj("Kept as context.appState"),
    breadcrumbs: Type.Optional(
      Type.Array(
        Type.Object({
          type: Type.Optional(Type.String({ maxLength: 64 })),
          message: Type.Optional(Type.String({ maxLength: 1000 })),
          timestamp: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        { maxItems: LIMITS.breadcrumbs },
      ),
    ),
    severity: Type.Optional(Type.Union([Type.Literal("warning"), Type.Literal("error"), Type.Literal("fatal")])),
    userId: Type.Optional(Type.String({ maxLength: 256, description: "Never stored" })),
  },
  { description: "Oasis RFC crash report (seed 002)" },
);
type OasisCrashBody = Static<typeof OasisCrashBody>;

/** Device details worth grouping crashes by; anything else (ids, serials, names) is dropped. */
const DEVICE_KEYS = new Set([
  "model",
  "manufacturer",
  "brand",
  "arch",
  "architecture",
  "memory",
  "totalMemory",
  "cpu",
  "cpuCount",
  "cores",
  "os",
  "osName",
  "osVersion",
  "platform",
  "deviceType",
  "type",
  "tauriVersion",
  "webviewVersion",
]);

const CrashResponse = Type.Object({ success: Type.Literal(true), data: Type.Object({ id: Type.String(), groupId: Type.String() }) });

/**
 * Seed 002 (Oasis RFC): `POST /sdk/:app_slug/crashes` with `X-API-Key: pk_<slug>_<hex>`, the
 * project's public key (checked by the HTTP layer: 401 unknown or revoked). The key must belong to
 * the app in the path: 403 `wrong_project` otherwise. Answered `{success, data: {id, groupId}}`.
 */
export const seed002Adapter: IngestAdapter = {
  name: "seed-002",
  routes: [
    // POST /sdk/:app_slug/feedback is in src/http/feedback-routes.ts: feedback is not a pipeline event.
    defineRoute({
      path: "/sdk/:app_slug/crashes",
      summary: "Oasis RFC crash report (X-API-Key: pk_<slug>_<hex>)",
      body: OasisCrashBody,
      toRequests: crashRequests,
      respond: (outcomes) => {
        const first = outcomes[0];
        if (!first?.accepted) throw new AppError(422, "not_stored", `the report was not stored (${first && !first.accepted ? first.reason : "no event"})`);
        const fp = (first.payload as { fingerprint?: { version: string; hash: string } }).fingerprint!;
        return { status: 200, body: { success: true, data: { id: first.id, groupId: `${fp.version}:${fp.hash}` } } };
      },
      responses: { 200: CrashResponse },
      errors: ["unauthorized", "wrong_project", "not_stored"],
    }),
  ],
};

/** The key's project must be the app in the path; its events go to the project's own site. */
export function appProject(http: Pick<HttpContext, "auth" | "params">): string {
  if (!http.auth) throw new AppError(401, "unauthorized", "X-API-Key: send the app's public key (pk_<app_slug>_<hex>)");
  const slug = (http.params.app_slug ?? "").toLowerCase();
  if (!http.auth.sites.includes(slug)) throw new AppError(403, "wrong_project", `app_slug: "${slug}" is not the project of this key`);
  return http.auth.sites[0]!;
}

/** The part of an SDK's `deviceInfo` worth keeping: the listed keys (no ids, serials or names), or null. */
export function keptDeviceInfo(deviceInfo: Record<string, unknown> | undefined): Record<string, unknown> | null {
  if (!deviceInfo) return null;
  const kept = Object.entries(deviceInfo).filter(([k]) => DEVICE_KEYS.has(k));
  return kept.length > 0 ? Object.fromEntries(kept) : null;
}

function crashRequests(body: OasisCrashBody, http: HttpContext): IngestRequest[] {
  const site = appProject(http);
  const device = keptDeviceInfo(body.deviceInfo);
  const context = { ...(device ? { device } : {}), ...(body.appState ? { appState: body.appState } : {}) };
  return [
    {
      ...base(http, { site }),
      headers: { origin: null, referer: null },
      kind: "crash",
      crash: {
        errorType: body.errorType,
        message: body.errorMessage,
        stack: null,
        stackTrace: body.stackTrace,
        fingerprint: null,
        release: body.appVersion || null,
        platform: body.platform || null,
        osVersion: body.osVersion || null,
        severity: body.severity ?? null,
        breadcrumbs: body.breadcrumbs ?? null,
        context: Object.keys(context).length ? context : null,
      },
    },
  ];
}
