import { Type } from "@sinclair/typebox";
import { Elysia } from "elysia";
import { isConnectionError } from "../db/client.ts";
import type { Deps } from "../deps.ts";
import { AppError, UnavailableError } from "../errors.ts";
import { CONTRACTS } from "../pathways/contracts/index.ts";
import { createRouter } from "../pathways/pathways.ts";
import { readJsonBody } from "./read-body.ts";
import { ErrorResponse, FlowcoreEventBody } from "./schemas.ts";
import { secretMatches } from "./secret.ts";

const FlowcoreAck = Type.Object({ ok: Type.Literal(true), eventId: Type.String() });
const KNOWN = new Map<string, (typeof CONTRACTS)[number]>(CONTRACTS.map((c) => [`${c.flowType}/${c.eventType}`, c]));

/**
 * POST /api/transformer: Flowcore (or `bun flowcore:stream`) delivers events here. The secret is
 * checked in constant time before anything else; the event then goes through the same pathways
 * router and handlers as every other mode. Redelivery is safe: handlers upsert on the ingest id.
 */
export function transformerRoute(deps: Deps) {
  const secret = deps.config.transformerSecret;
  const router = secret ? createRouter(deps.pathways, secret) : null;

  return new Elysia({ name: "transformer" }).post(
    "/api/transformer",
    async ({ body, request }) => {
      if (!secret || !router) throw new AppError(404, "transformer_disabled", "set FLOWCORE_TRANSFORMER_SECRET to enable /api/transformer");
      if (!secretMatches(request.headers.get("x-secret"), secret)) throw new AppError(401, "unauthorized", "missing or wrong X-Secret header");
      const flowType = body.flowType ?? body.aggregator;
      const contract = flowType ? KNOWN.get(`${flowType}/${body.eventType}`) : undefined;
      if (!contract) throw new AppError(422, "unknown_event_type", `no handler for event type "${flowType ?? "?"}/${body.eventType}"`);
      const parsed = contract.schema.safeParse(body.payload);
      if (!parsed.success) throw new AppError(422, "invalid_payload", `payload does not match ${contract.eventType}: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`);
      // Probe the database first so an outage is a clean 503 (Flowcore retries) rather than an
      // error wrapped by the router.
      await deps.ensureSchema().catch((err) => {
        throw isConnectionError(err) ? new UnavailableError("the database") : err;
      });
      try {
        await router.processEvent({ ...body, flowType } as never, request.headers.get("x-secret") ?? "");
      } catch (err) {
        const alive = await deps.database.sql`select 1`.then(() => true, () => false);
        if (!alive) throw new UnavailableError("the database");
        throw err;
      }
      deps.metrics.projected.inc({ type: contract.eventType.split(".")[0]!.replace("-", "_") });
      return { ok: true, eventId: body.eventId };
    },
    {
      parse: ({ request }) => readJsonBody(request, Math.max(deps.config.maxBodyBytes, 256 * 1024)),
      body: FlowcoreEventBody,
      response: { 200: FlowcoreAck, 401: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse, 503: ErrorResponse },
      detail: { summary: "Flowcore transformer delivery (X-Secret header)", tags: ["flowcore"] },
    },
  );
}
