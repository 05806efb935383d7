import { Type, type Static } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { Elysia } from "elysia";
import { authenticateIngestKey, ingestKeyFrom } from "../accounts/keys.ts";
import { projectSites } from "../accounts/projects.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { buildFeedbackEvent } from "../feedback/build-feedback-event.ts";
import { FEEDBACK_MESSAGE_MAX } from "../feedback/feedback-input.ts";
import { appProject, keptDeviceInfo } from "../ingest/adapters/seed-002-oasis.ts";
import type { IngestAuth } from "../ingest/types.ts";
import { LIMITS } from "../limits.ts";
import { feedbackSubmitted } from "../pathways/contracts/feedback.v0.ts";
import { errorResponses } from "./error-docs.ts";
import { readJsonBody } from "./read-body.ts";
import { validationMessage, type ValidationIssue } from "./validation-message.ts";

/** Attachments are accepted (so the SDK's request succeeds) but never stored: this bounds what is read. */
export const OASIS_FEEDBACK_MAX_BYTES = 1024 * 1024;

/** The Oasis RFC's feedback body (seed 002). */
export const OasisFeedbackBody = Type.Object(
  {
    category: Type.Union([Type.Literal("bug"), Type.Literal("feature"), Type.Literal("general")], { description: "bug, feature or general" }),
    message: Type.String({ minLength: 1, maxLength: FEEDBACK_MESSAGE_MAX, description: `What the person wrote (≤ ${FEEDBACK_MESSAGE_MAX} characters)` }),
    email: Type.Optional(Type.String({ maxLength: 254, pattern: "^[^\\s@]+@[^\\s@]+$", description: "Only when the person typed it, so someone can answer" })),
    appVersion: Type.Optional(Type.String({ maxLength: LIMITS.release, description: "Stored as the feedback's release" })),
    platform: Type.Optional(Type.String({ maxLength: LIMITS.platform, description: "e.g. darwin-aarch64, windows-x86_64" })),
    osVersion: Type.Optional(Type.String({ maxLength: LIMITS.crashOsVersion, description: "e.g. macOS 14.2" })),
    deviceInfo: Type.Optional(
      Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
        maxProperties: LIMITS.contextKeys,
        description: "Model, architecture, memory, CPU… are kept; identifiers and anything else are dropped",
      }),
    ),
    attachments: Type.Optional(
      Type.Array(Type.Object({ data: Type.String(), filename: Type.String({ maxLength: 255 }), mimeType: Type.String({ maxLength: 100 }) }), {
        maxItems: 10,
        description: "Accepted and never stored (this server keeps no files)",
      }),
    ),
  },
  { description: "Oasis RFC feedback (seed 002)" },
);
type OasisFeedbackBody = Static<typeof OasisFeedbackBody>;
const checkBody = TypeCompiler.Compile(OasisFeedbackBody);

const FeedbackAnswer = Type.Object({ success: Type.Literal(true), data: Type.Object({ id: Type.String() }) });

/**
 * Seed 002 (Oasis RFC): `POST /sdk/:app_slug/feedback` with `X-API-Key: pk_<slug>_<hex>`. The
 * same key rules as its crashes route: an unknown or revoked key is 401 `invalid_key`, no key 401
 * `unauthorized`, another app's key 403 `wrong_project`. Answered `{success, data: {id}}` once the
 * feedback is durable. A key proves the sender, so there is no bot filter; nothing about the
 * client (IP, user agent) is read.
 */
export function oasisFeedbackRoute(deps: Deps) {
  const { eventLog, metrics, clock, database } = deps;
  const newId = deps.newId ?? (() => Bun.randomUUIDv7());

  async function keyAuth(request: Request): Promise<IngestAuth | null> {
    const key = ingestKeyFrom(request.headers);
    if (key === null) return null;
    const project = await authenticateIngestKey(database.sql, key);
    return { projectId: String(project.id), sites: projectSites(project) };
  }

  return new Elysia({ name: "oasis-feedback" }).post(
    "/sdk/:app_slug/feedback",
    async ({ body: raw, params, request, set }) => {
      // Checked here, not by Elysia, whose normalisation turns a string where an object or an
      // array belongs into one (as the ingest routes do).
      if (!checkBody.Check(raw)) throw new AppError(422, "invalid_body", validationMessage([...checkBody.Errors(raw)].slice(0, 20) as ValidationIssue[]));
      const body = raw as OasisFeedbackBody;
      const auth = await keyAuth(request);
      const site = appProject({ auth, params });
      const message = body.message.trim();
      if (message === "") throw new AppError(422, "invalid_body", "message: write at least one character that is not white space");
      const entry = buildFeedbackEvent(
        {
          category: body.category,
          message,
          email: body.email?.trim() || null,
          url: null,
          release: body.appVersion?.trim() || null,
          platform: body.platform?.trim() || null,
          environment: null,
          associatedEventId: null,
          source: "oasis",
          osVersion: body.osVersion?.trim() || null,
          device: deviceFields(body),
        },
        { ingestId: newId(), site, projectId: Number(auth!.projectId), receivedAt: clock() },
      );
      await eventLog.append(entry, request.signal);
      metrics.ingested.inc({ type: feedbackSubmitted.label });
      set.status = 200;
      return { success: true as const, data: { id: entry.ingestId } };
    },
    {
      parse: ({ request }) => readJsonBody(request, OASIS_FEEDBACK_MAX_BYTES),
      params: Type.Object({ app_slug: Type.String({ maxLength: 100 }) }),
      response: {
        200: FeedbackAnswer,
        ...errorResponses(
          "invalid_json",
          "invalid_encoding",
          "empty_body",
          "unauthorized",
          "invalid_key",
          "wrong_project",
          "payload_too_large",
          "unsupported_media_type",
          "invalid_body",
          "too_deep",
          "rate_limited",
          "unavailable",
          "overloaded",
        ),
      },
      detail: {
        summary: "Oasis RFC feedback (X-API-Key: pk_<slug>_<hex>): bug, feature or general",
        tags: ["ingest"],
        requestBody: { content: { "application/json": { schema: OasisFeedbackBody } } },
      } as never,
    },
  );
}

/** The kept device details, as flat values (strings capped): what the feedback contract carries. */
function deviceFields(body: OasisFeedbackBody): Record<string, string | number | boolean> | null {
  const kept = keptDeviceInfo(body.deviceInfo);
  if (!kept) return null;
  const flat: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(kept)) {
    if (typeof v === "string") flat[k] = v.slice(0, 200);
    else if ((typeof v === "number" && Number.isFinite(v)) || typeof v === "boolean") flat[k] = v;
  }
  return Object.keys(flat).length > 0 ? flat : null;
}
