import { Type, type TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { Elysia } from "elysia";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { toLogEntry } from "../eventlog/log-entry.ts";
import type { AdapterRoute, HttpContext, Outcome } from "../ingest/adapters/adapter.ts";
import { ADAPTERS } from "../ingest/adapters/index.ts";
import { runPipeline, STEPS, type IngestedEvent } from "../ingest/pipeline.ts";
import { Drop, REJECTED_DROPS, type IngestAuth, type IngestRequest } from "../ingest/types.ts";
import { authenticateIngestKey, ingestKeyFrom } from "../accounts/keys.ts";
import { projectForSite, projectSites } from "../accounts/projects.ts";
import { requestClientIp } from "./client-ip.ts";
import { readJsonBodyAndBytes } from "./read-body.ts";
import { errorResponses } from "./error-docs.ts";
import { AcceptedResponse, DroppedResponse } from "./schemas.ts";
import { validationMessage, type ValidationIssue } from "./validation-message.ts";

type Server = { requestIP(r: Request): { address: string } | null } | null;

/**
 * Mounts every route of every ingest adapter (adapters/index.ts). HTTP only: read the body with
 * the size limit, validate it against the route's schema, let the adapter make typed requests,
 * run the pipeline, append the events and answer only after they are durable — 202 with our
 * JSON, or the foreign protocol's own answer when the adapter gives one.
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
  const rawBodies = new WeakMap<Request, Uint8Array>();
  const parser =
    (maxBytes: number) =>
    async ({ request }: { request: Request }) => {
      const { value, bytes } = await readJsonBodyAndBytes(request, maxBytes);
      rawBodies.set(request, bytes);
      return value;
    };

  /**
   * Every request of one HTTP request goes through the pipeline before any is appended, so a
   * rejected one (a 4xx) leaves nothing written; then the accepted events are appended as one
   * unit, so a batch is stored whole or (refused, 503) not at all.
   */
  async function ingestAll(reqs: IngestRequest[], signal: AbortSignal): Promise<Outcome[]> {
    const results: (IngestedEvent | Drop)[] = [];
    for (const req of reqs) {
      const result = await runPipeline(req, pipelineDeps);
      if (result instanceof Drop) {
        const rejected = REJECTED_DROPS[result.reason];
        if (rejected) throw new AppError(rejected.status, rejected.code, rejected.message);
      }
      results.push(result);
    }
    const accepted = results.filter((r): r is IngestedEvent => !(r instanceof Drop));
    // The signal: events whose client hung up before their commit started are not written.
    await eventLog.appendAll(
      accepted.map((r) => toLogEntry(r.contract, r.payload)),
      signal,
    );
    const outcomes: Outcome[] = [];
    for (const [i, result] of results.entries()) {
      if (result instanceof Drop) {
        metrics.dropped.inc({ type: reqs[i]!.kind, reason: result.reason });
        outcomes.push({ accepted: false, reason: result.reason });
        continue;
      }
      metrics.ingested.inc({ type: result.contract.label });
      outcomes.push({ accepted: true, id: result.payload.ingestId, payload: result.payload });
    }
    return outcomes;
  }

  /** A public key, when sent, must be valid (401 otherwise); it proves the project. */
  async function keyAuth(request: Request): Promise<IngestAuth | null> {
    const key = ingestKeyFrom(request.headers);
    if (key === null) return null;
    const project = await authenticateIngestKey(deps.database.sql, key);
    return { projectId: String(project.id), sites: projectSites(project) };
  }

  async function httpContext(request: Request, server: Server, params: Record<string, string>): Promise<HttpContext> {
    return {
      auth: await keyAuth(request),
      client: {
        ip: requestClientIp(request, server, config.trustProxy),
        userAgent: request.headers.get("user-agent") ?? "",
        countryHeader: config.countryHeader ? request.headers.get(config.countryHeader) : null,
      },
      headers: { origin: request.headers.get("origin"), referer: request.headers.get("referer") },
      receivedAt: clock(),
      request,
      rawBody: rawBodies.get(request) ?? new Uint8Array(0),
      params,
      config,
    };
  }

  async function handle(
    route: AdapterRoute,
    body: unknown,
    ctx: { request: Request; server: Server; params: Record<string, string>; set: { status?: number | string; headers: Record<string, string | number> } },
  ) {
    const { request, set } = ctx;
    const reqs = await route.toRequests(body, await httpContext(request, ctx.server, ctx.params ?? {}));
    const outcomes = await ingestAll(reqs, request.signal);
    if (route.respond) {
      const answer = route.respond(outcomes, body);
      set.status = answer.status;
      Object.assign(set.headers, answer.headers ?? {});
      return answer.body;
    }
    // One event per request in our format; the first outcome is the answer.
    const first = outcomes[0];
    if (!first) throw new AppError(422, "no_events", "the request body carries no event");
    set.status = first.accepted ? 202 : 200;
    return first.accepted ? { accepted: true, id: first.id } : first;
  }

  const errors = errorResponses(
    "invalid_json",
    "invalid_encoding",
    "empty_body",
    "payload_too_large",
    "unsupported_media_type",
    "invalid_body",
    "too_deep",
    "missing_site",
    "no_events",
    "invalid_key",
    "wrong_project",
    "rate_limited",
    "unavailable",
    "overloaded",
  );
  const app = new Elysia({ name: "ingest" });
  for (const [path, routes] of routesByPath()) {
    const maxBytes = Math.max(...routes.map((r) => r.maxBodyBytes ?? config.maxBodyBytes));
    const summary = routes.map((r) => r.summary).join("; or ");
    // The body is checked here rather than by Elysia, whose body normalisation turns a string
    // where an array belongs into an array of one-letter objects; a path several formats share
    // (Plausible's and our /api/event) is checked against the format that claims the body.
    const checks = routes.map((r) => ({ route: r, check: TypeCompiler.Compile(r.body) }));
    const bodySchema = routes.length === 1 ? routes[0]!.body : Type.Union(routes.map((r) => r.body));
    app.post(
      path,
      (ctx) => {
        const chosen = checks.find((c) => c.route.claims?.(ctx.body) ?? true) ?? checks[checks.length - 1]!;
        if (!chosen.check.Check(ctx.body)) throw new AppError(422, "invalid_body", validationMessage(firstIssues(chosen.check.Errors(ctx.body))));
        return handle(chosen.route, ctx.body, ctx as never);
      },
      {
        parse: parser(maxBytes),
        response: { ...errors, ...errorResponses(...routes.flatMap((r) => r.errors ?? [])), ...responsesOf(routes) },
        detail: {
          summary,
          tags: ["ingest"],
          // text/plain too: browsers post it cross-origin without a CORS preflight.
          requestBody: { content: { "application/json": { schema: bodySchema }, "text/plain": { schema: bodySchema } } },
        } as never,
      },
    );
  }
  return app;
}

/** Routes grouped by path, formats claiming a body before the format that takes the rest. */
function routesByPath(): Map<string, AdapterRoute[]> {
  const byPath = new Map<string, AdapterRoute[]>();
  for (const adapter of ADAPTERS) for (const route of adapter.routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route as AdapterRoute<TSchema>]);
  for (const routes of byPath.values()) routes.sort((a, b) => Number(!a.claims) - Number(!b.claims));
  return byPath;
}

/** A path answers any of its formats' successes: per status, the union of their schemas. */
function responsesOf(routes: AdapterRoute[]): Record<number, TSchema> {
  const byStatus = new Map<number, TSchema[]>();
  for (const r of routes) {
    for (const [status, schema] of Object.entries(r.respond ? (r.responses ?? {}) : { 202: AcceptedResponse, 200: DroppedResponse })) {
      byStatus.set(Number(status), [...(byStatus.get(Number(status)) ?? []), schema]);
    }
  }
  return Object.fromEntries([...byStatus].map(([status, schemas]) => [status, schemas.length === 1 ? schemas[0]! : Type.Union(schemas)]));
}

/** The first few issues (a union reports one per branch; validationMessage keeps one per field). */
function firstIssues(errors: Iterable<ValidationIssue>): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const e of errors) if (out.push(e) >= 20) break;
  return out;
}
