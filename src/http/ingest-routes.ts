import { Elysia } from "elysia";
import type { Deps } from "../deps.ts";
import { runPipeline } from "../ingest/pipeline.ts";
import { Drop, type IngestRequest } from "../ingest/types.ts";
import { clientIp } from "./client-ip.ts";
import { readJsonBody } from "./read-body.ts";
import { AcceptedResponse, CrashBody, DroppedResponse, ErrorResponse, EventBody, PageviewBody } from "./schemas.ts";

/**
 * POST /api/pageview, /api/event, /api/crash. Each validates its body, runs the ingest pipeline
 * and answers 202 only after the event is durable in the event log.
 */
export function ingestRoutes(deps: Deps) {
  const { config, metrics, eventLog, salts, clock } = deps;
  const newId = deps.newId ?? (() => Bun.randomUUIDv7());
  const parse = ({ request }: { request: Request }) => readJsonBody(request, config.maxBodyBytes);

  async function ingest(kind: IngestRequest["kind"], body: Record<string, unknown>, request: Request, socketIp: string | null, set: { status?: number | string }) {
    const result = await runPipeline(
      {
        kind,
        body,
        client: { ip: clientIp(request, socketIp, config.trustProxy), userAgent: request.headers.get("user-agent") ?? "" },
        headers: { origin: request.headers.get("origin"), referer: request.headers.get("referer") },
        receivedAt: clock(),
      },
      { salts, allowedSites: config.allowedSites, newId },
    );
    if (result instanceof Drop) {
      metrics.dropped.inc({ type: kind, reason: result.reason });
      set.status = 200;
      return { accepted: false as const, reason: result.reason };
    }
    await eventLog.append(result, request.signal);
    metrics.ingested.inc({ type: result.eventType });
    set.status = 202;
    return { accepted: true as const, id: result.ingestId };
  }

  const responses = { 202: AcceptedResponse, 200: DroppedResponse, 400: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse, 422: ErrorResponse, 503: ErrorResponse };
  const ip = (server: { requestIP(r: Request): { address: string } | null } | null, request: Request) => server?.requestIP(request)?.address ?? null;

  return new Elysia({ name: "ingest" })
    .post("/api/pageview", ({ body, request, server, set }) => ingest("pageview", body, request, ip(server, request), set), {
      parse,
      body: PageviewBody,
      response: responses,
      detail: { summary: "Record a page view", tags: ["ingest"] },
    })
    .post("/api/event", ({ body, request, server, set }) => ingest("custom_event", body, request, ip(server, request), set), {
      parse,
      body: EventBody,
      response: responses,
      detail: { summary: 'Record a custom event ("page_view" counts as a page view)', tags: ["ingest"] },
    })
    .post("/api/crash", ({ body, request, server, set }) => ingest("crash", body, request, ip(server, request), set), {
      parse,
      body: CrashBody,
      response: responses,
      detail: { summary: "Report a crash", tags: ["ingest"] },
    });
}
