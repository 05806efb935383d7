import { Type } from "@sinclair/typebox";
import { Elysia } from "elysia";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { createFlowcoreDelivery } from "../pathways/flowcore-delivery.ts";
import { readJsonBody } from "./read-body.ts";
import { errorResponses } from "./error-docs.ts";
import { FlowcoreEventBody } from "./schemas.ts";
import { secretMatches } from "./secret.ts";

const FlowcoreAck = Type.Object({ ok: Type.Literal(true), eventId: Type.String() });

/**
 * POST /api/transformer: Flowcore (or `bun flowcore:stream`) delivers events here. HTTP only:
 * the secret is checked in constant time before the body is even read (401 whatever the body),
 * then the envelope is validated and the event handed to the pathways delivery. Redelivery is
 * safe: handlers upsert on the ingest id.
 */
export function transformerRoute(deps: Deps) {
  const secret = deps.config.transformerSecret;
  const deliver = secret ? createFlowcoreDelivery({ pathways: deps.pathways, secret, database: deps.database, ensureSchema: deps.ensureSchema, metrics: deps.metrics }) : null;

  return new Elysia({ name: "transformer" }).post(
    "/api/transformer",
    async ({ body }) => {
      await deliver!(body);
      return { ok: true as const, eventId: body.eventId };
    },
    {
      // Elysia validates the body right after parsing, so authentication happens here, first.
      parse: ({ request }) => {
        if (!secret) throw new AppError(404, "transformer_disabled", "set FLOWCORE_TRANSFORMER_SECRET to enable /api/transformer");
        if (!secretMatches(request.headers.get("x-secret"), secret)) throw new AppError(401, "unauthorized", "missing or wrong X-Secret header");
        return readJsonBody(request, Math.max(deps.config.maxBodyBytes, 256 * 1024));
      },
      body: FlowcoreEventBody,
      response: {
        200: FlowcoreAck,
        ...errorResponses(
          "unauthorized",
          "transformer_disabled",
          "invalid_json",
          "invalid_encoding",
          "empty_body",
          "payload_too_large",
          "unsupported_media_type",
          "invalid_body",
          "too_deep",
          "unknown_event_type",
          "invalid_payload",
          "unavailable",
        ),
      },
      detail: { summary: "Flowcore transformer delivery (X-Secret header)", tags: ["flowcore"] },
    },
  );
}
