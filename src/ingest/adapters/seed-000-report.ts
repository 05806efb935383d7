import { createHmac, timingSafeEqual } from "node:crypto";
import { Type, type Static } from "@sinclair/typebox";
import { AppError } from "../../errors.ts";
import { LIMITS } from "../../limits.ts";
import type { IngestRequest } from "../types.ts";
import { base, defineRoute, type HttpContext, type IngestAdapter } from "./adapter.ts";
import { splitErrorMessage } from "./error-message.ts";

/**
 * Seed 000's crash report. `user_id` and `session_id` are accepted so its clients work, and never
 * read. `hardware_specs` (CPU, memory, GPU, OS) is kept as the crash's context.
 */
export const ReportBody = Type.Object(
  {
    app_name: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.site, description: "The app (the site its crashes are stored under); X-App-Name wins" })),
    app_version: Type.Optional(Type.String({ maxLength: LIMITS.release })),
    platform: Type.Optional(Type.String({ maxLength: LIMITS.platform, description: "e.g. windows, linux, macos, python" })),
    crash_timestamp: Type.Optional(Type.String({ maxLength: 64, description: "Accepted; the time of receipt is stored" })),
    error_message: Type.String({ maxLength: LIMITS.message, description: '"ValueError: Something went wrong": the type is split out' }),
    stack_trace: Type.Optional(Type.String({ maxLength: LIMITS.stack, description: "A Python traceback (or any stack the crash parsers read)" })),
    hardware_specs: Type.Optional(
      Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 30, description: "cpu, memory, gpu, platform: kept as context.hardware_specs" }),
    ),
    user_id: Type.Optional(Type.String({ maxLength: 256, description: "Never stored" })),
    session_id: Type.Optional(Type.String({ maxLength: 256, description: "Never stored" })),
  },
  { description: "Seed 000 (Universal Crash Analytics) crash report" },
);
type ReportBody = Static<typeof ReportBody>;

const ReportResponse = Type.Object({ success: Type.Literal(true), id: Type.String() });

/**
 * Seed 000's `POST /report`. `X-App-Name` (else `app_name`) is the site. With HMAC_SECRET set,
 * `X-HMAC-Signature: sha256=<hex HMAC-SHA256 of the body>` must match, compared in constant time
 * (401 otherwise); without one the header is ignored, as the seed's server does when unset.
 * Answered `{success: true, id}`.
 */
export const seed000Adapter: IngestAdapter = {
  name: "seed-000",
  routes: [
    defineRoute({
      path: "/report",
      summary: "Seed 000 crash report (X-App-Name, X-HMAC-Signature)",
      body: ReportBody,
      toRequests: reportRequests,
      respond: (outcomes) => {
        const first = outcomes[0];
        if (!first?.accepted) throw new AppError(422, "not_stored", `the report was not stored (${first && !first.accepted ? first.reason : "no event"})`);
        return { status: 200, body: { success: true, id: first.id } };
      },
      responses: { 200: ReportResponse },
      errors: ["invalid_signature", "not_stored"],
    }),
  ],
};

function reportRequests(body: ReportBody, http: HttpContext): IngestRequest[] {
  if (http.config.hmacSecret !== null) verifySignature(http.config.hmacSecret, http.rawBody, http.request.headers.get("x-hmac-signature"));
  const app = http.request.headers.get("x-app-name")?.trim() || body.app_name;
  if (!app) throw new AppError(422, "invalid_body", "app_name: name the app in X-App-Name or app_name");
  const { errorType, message } = splitErrorMessage(body.error_message, body.stack_trace ?? null, body.platform ?? null);
  return [
    {
      ...base(http, { site: app }),
      // A report comes from an app, not a page: no Origin or Referer stands in for the site.
      headers: { origin: null, referer: null },
      kind: "crash",
      crash: {
        errorType,
        message,
        stack: body.stack_trace ?? null,
        stackTrace: null,
        fingerprint: null,
        release: body.app_version || null,
        platform: body.platform || null,
        osVersion: null,
        severity: "fatal",
        breadcrumbs: null,
        context: body.hardware_specs ? { hardware_specs: body.hardware_specs } : null,
      },
    },
  ];
}

/** `sha256=<hex>` over the exact bytes received, compared in constant time. */
export function verifySignature(secret: string, body: Uint8Array, header: string | null): void {
  const sent = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? "")?.[1];
  if (!sent) throw new AppError(401, "invalid_signature", "X-HMAC-Signature: send sha256=<hex HMAC-SHA256 of the body> made with the shared secret");
  const want = createHmac("sha256", secret).update(body).digest();
  if (!timingSafeEqual(want, Buffer.from(sent, "hex"))) throw new AppError(401, "invalid_signature", "X-HMAC-Signature: the signature does not match the body");
}
