import { Elysia } from "elysia";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { toLogEntry } from "../eventlog/log-entry.ts";
import type { HttpContext } from "../ingest/adapters/adapter.ts";
import { ADAPTERS } from "../ingest/adapters/index.ts";
import { runPipeline, STEPS } from "../ingest/pipeline.ts";
import { Drop, REJECTED_DROPS, type IngestAuth, type IngestRequest } from "../ingest/types.ts";
import { authenticateIngestKey, ingestKeyFrom } from "../accounts/keys.ts";
import { projectForSite, projectSites } from "../accounts/projects.ts";
import { requestClientIp } from "./client-ip.ts";
import { readJsonBody } from "./read-body.ts";
import { errorResponses } from "./error-docs.ts";
import { AcceptedResponse, DroppedResponse } from "./schemas.ts";

type Outcome = { accepted: true; id: string } | { accepted: false; reason: string };
type Server = { requestIP(r: Request): { address: string } | null } | null;

/**
 * Mounts every route of every ingest adapter (adapters/index.ts). HTTP only: read the body with
 * the size limit, validate it against the route's schema, let the adapter make typed requests,
 * run the pipeline, append the event and answer 202 only after it is durable.
 */
export function ingestRoutes(deps: Deps) {
  const { config, metrics, eventLog, salts, clock } = deps;
  // One histogram series per step, bound once: observing is then a bucket search.
  const stepTimers = new Map(STEPS.map(([step]) => [step as string, metrics.ingestStepSeconds.child({ step })]));
  const pipelineDeps = {
    salts,
    allowedSites: config.allowedSites,
    isRegisteredSite: config.registeredSitesOnly ? async (site: string) => (await projectForSite(deps.database.sql, site)) !== null : undefined,
    newId: deps.newId ?? (() => Bun.randomUUIDv7()),
    observeStep: (step: string, seconds: number) => (stepTimers.get(step) ?? metrics.ingestStepSeconds.child({ step })).observe(seconds),
  };
  const parse = ({ request }: { request: Request }) => readJsonBody(request, config.maxBodyBytes);

  async function ingest(req: IngestRequest, signal: AbortSignal): Promise<Outcome> {
    const result = await runPipeline(req, pipelineDeps);
    if (result instanceof Drop) {
      const rejected = REJECTED_DROPS[result.reason];
      if (rejected) throw new AppError(rejected.status, rejected.code, rejected.message);
      metrics.dropped.inc({ type: req.kind, reason: result.reason });
      return { accepted: false, reason: result.reason };
    }
    // The signal: an entry whose client hung up before its commit started is not written.
    await eventLog.append(toLogEntry(result.contract, result.payload), signal);
    metrics.ingested.inc({ type: result.contract.label });
    return { accepted: true, id: result.payload.ingestId };
  }

  /** A public key, when sent, must be valid (401 otherwise); it proves the project. */
  async function keyAuth(request: Request): Promise<IngestAuth | null> {
    const key = ingestKeyFrom(request.headers);
    if (key === null) return null;
    const project = await authenticateIngestKey(deps.database.sql, key);
    return { projectId: String(project.id), sites: projectSites(project) };
  }

  async function httpContext(request: Request, server: Server): Promise<HttpContext> {
    return {
      auth: await keyAuth(request),
      client: { ip: requestClientIp(request, server, config.trustProxy), userAgent: request.headers.get("user-agent") ?? "", countryHeader: config.countryHeader ? request.headers.get(config.countryHeader) : null },
      headers: { origin: request.headers.get("origin"), referer: request.headers.get("referer") },
      receivedAt: clock(),
      request,
    };
  }

  const responses = {
    202: AcceptedResponse,
    200: DroppedResponse,
    ...errorResponses("invalid_json", "invalid_encoding", "empty_body", "payload_too_large", "unsupported_media_type", "invalid_body", "too_deep", "missing_site", "no_events", "invalid_key", "wrong_project", "rate_limited", "unavailable", "overloaded"),
  };
  const app = new Elysia({ name: "ingest" });
  for (const adapter of ADAPTERS) {
    for (const route of adapter.routes) {
      app.post(
        route.path,
        async ({ body, request, server, set }) => {
          const outcomes: Outcome[] = [];
          for (const req of route.toRequests(body, await httpContext(request, server))) outcomes.push(await ingest(req, request.signal));
          // One event per request in our format; the first outcome is the answer.
          const first = outcomes[0];
          if (!first) throw new AppError(422, "no_events", "the request body carries no event");
          set.status = first.accepted ? 202 : 200;
          return first;
        },
        { parse, body: route.body, response: responses, detail: { summary: route.summary, tags: ["ingest"] } },
      );
    }
  }
  return app;
}
