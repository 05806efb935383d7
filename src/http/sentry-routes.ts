import { Elysia, t } from "elysia";
import { Counter } from "prom-client";
import { authenticateIngestKey } from "../accounts/keys.ts";
import { siteForProject, type ProjectRef } from "../accounts/projects.ts";
import { isConnectionError } from "../db/client.ts";
import type { Sql } from "../db/client.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import type { LogEntry } from "../eventlog/local-log.ts";
import { toLogEntry } from "../eventlog/log-entry.ts";
import { buildFeedbackEvent } from "../feedback/build-feedback-event.ts";
import type { HttpContext } from "../ingest/adapters/adapter.ts";
import { adaptEnvelope, type SentryIngest } from "../ingest/adapters/sentry/adapter.ts";
import { keyFromDsn, keyFromRequest, type SentryKey } from "../ingest/adapters/sentry/auth.ts";
import { crashRequest, siteFor } from "../ingest/adapters/sentry/crash-request.ts";
import { parseEnvelope, type Envelope } from "../ingest/adapters/sentry/envelope.ts";
import { SENTRY_LIMITS } from "../ingest/adapters/sentry/limits.ts";
import { readSentryBody } from "../ingest/adapters/sentry/read-body.ts";
import { createSessionMemory } from "../ingest/adapters/sentry/sessions.ts";
import { storeBodyToEnvelope } from "../ingest/adapters/sentry/store-body.ts";
import { runPipeline } from "../ingest/pipeline.ts";
import { Drop } from "../ingest/types.ts";
import { contractFor } from "../pathways/registry.ts";
import { buildSessionsEvent } from "../release-health/build-sessions-event.ts";
import { clientIp } from "./client-ip.ts";
import { SENTRY_CORS_HEADERS } from "./sentry-cors.ts";

/** How a public key becomes a project (accounts' `authenticateIngestKey`; tests may pass another database's). */
export type AuthenticateKey = (sql: Sql, rawKey: string) => Promise<ProjectRef>;

const SentryAccepted = t.Object({ id: t.String({ description: "The event id (32 hex), as Sentry answers" }) });
const SentryError = t.Object({ detail: t.String(), error: t.Object({ code: t.String(), message: t.String() }) });

/**
 * Sentry-compatible ingest: `POST /api/<project id>/envelope/` and the legacy `/store/`, with
 * or without the trailing slash, so any Sentry SDK pointed at a DSN of ours works unchanged.
 * The adapter turns the envelope into crashes, feedback and session counts; everything else
 * SDKs send (transactions, spans, replays, client reports, …) is accepted and dropped. The
 * answer is Sentry's `{"id": …}`, only after everything kept is durable in the event log.
 */
export function sentryRoutes(deps: Deps, opts: { authenticate?: AuthenticateKey } = {}) {
  const { config, metrics, eventLog, salts, clock, database } = deps;
  const authenticate = opts.authenticate ?? authenticateIngestKey;
  const newId = deps.newId ?? (() => Bun.randomUUIDv7());
  const sessions = createSessionMemory();
  const pipelineDeps = { salts, allowedSites: null, newId, observeStep: (step: string, seconds: number) => metrics.ingestStepSeconds.observe({ step }, seconds) };
  const items =
    (metrics.registry.getSingleMetric("analytics_sentry_items_total") as Counter<"type" | "outcome"> | undefined) ??
    new Counter({
      name: "analytics_sentry_items_total",
      help: "Sentry envelope items by type and outcome (stored, discarded, dropped)",
      labelNames: ["type", "outcome"],
      registers: [metrics.registry],
    });

  async function handle(kind: "envelope" | "store", request: Request, params: { projectId: string }, socketIp: string | null): Promise<Response> {
    try {
      const projectId = Number(params.projectId);
      if (!/^\d{1,15}$/.test(params.projectId) || projectId < 1)
        throw new AppError(400, "invalid_project", `"${params.projectId.slice(0, 40)}" is not a project id; use the number at the end of your DSN`);
      const url = new URL(request.url);
      let key: SentryKey | null = keyFromRequest(url, request.headers);
      // A key on the request is checked before the body is read, so a request without a valid
      // one costs nothing more. Tunnels put the DSN in the envelope header instead.
      let project = key ? await authorise(key, projectId) : null;
      const body = await readSentryBody(request, SENTRY_LIMITS);
      const envelope: Envelope = kind === "envelope" ? parseEnvelope(body, SENTRY_LIMITS) : storeBodyToEnvelope(body, SENTRY_LIMITS);
      if (!project) {
        key = keyFromDsn(envelope.header.dsn);
        if (!key) throw new AppError(401, "missing_key", "no public key: send ?sentry_key=, an X-Sentry-Auth header, or a dsn in the envelope header");
        project = await authorise(key, projectId);
      }
      const receivedAt = clock();
      const adapted = adaptEnvelope(envelope, { projectId, sessions, now: receivedAt });
      const entries: LogEntry[] = [];
      const http = {
        client: { ip: clientIp(request, socketIp, config.trustProxy), userAgent: request.headers.get("user-agent") ?? "" },
        headers: { origin: request.headers.get("origin"), referer: request.headers.get("referer") },
        receivedAt,
      };
      const outcomes: { type: string; outcome: "stored" | "dropped" }[] = [];
      for (const r of adapted.requests) {
        const entry = await toEntry(r, project, http);
        outcomes.push({ type: itemType(r), outcome: entry instanceof Drop ? "dropped" : "stored" });
        if (!(entry instanceof Drop)) entries.push(entry);
      }
      // One unit: every item kept is durable, or none is (a refused envelope is retried whole).
      await eventLog.appendAll(entries, request.signal);
      for (const e of entries) metrics.ingested.inc({ type: contractFor(e.flowType, e.eventType)?.label ?? e.eventType });
      for (const o of outcomes) items.inc(o);
      for (const [type, n] of Object.entries(adapted.discarded)) items.inc({ type, outcome: "discarded" }, n);
      return Response.json({ id: adapted.eventId ?? randomEventId() }, { headers: SENTRY_CORS_HEADERS });
    } catch (err) {
      return errorReply(err);
    }
  }

  async function authorise(key: SentryKey, projectId: number): Promise<ProjectRef> {
    if (key.dsnProjectId !== null && key.dsnProjectId !== String(projectId)) throw forbidden();
    const project = await authenticate(database.sql, key.key);
    if (project.id !== projectId) throw forbidden();
    return project;
  }

  async function toEntry(r: SentryIngest, project: ProjectRef, http: Pick<HttpContext, "client" | "headers" | "receivedAt">): Promise<LogEntry | Drop> {
    if (r.kind === "sessions") return buildSessionsEvent(r.counts, { ingestId: newId(), projectId: project.id, site: siteForProject(project) });
    if (r.kind === "feedback")
      return buildFeedbackEvent(r.feedback, { ingestId: newId(), site: siteFor(project, r.feedback.url), projectId: project.id, receivedAt: http.receivedAt });
    const result = await runPipeline(crashRequest(r.crash, project, http), pipelineDeps);
    return result instanceof Drop ? result : toLogEntry(result.contract, result.payload);
  }

  function errorReply(err: unknown): Response {
    const e =
      err instanceof AppError
        ? err
        : isConnectionError(err)
          ? new AppError(503, "unavailable", "the database is temporarily unavailable; retry later", { "retry-after": "5" })
          : null;
    if (!e) throw err;
    metrics.rejected.inc({ code: e.code });
    deps.log.throttled(`sentry-${e.code}`, 10_000, e.status >= 500 ? "warn" : "info", "request rejected", { code: e.code, status: e.status });
    return Response.json(
      { detail: e.message, error: { code: e.code, message: e.message } },
      { status: e.status, headers: { ...SENTRY_CORS_HEADERS, ...e.headers, "x-sentry-error": e.message } },
    );
  }

  const route = (kind: "envelope" | "store") => ({
    parse: "none" as const,
    params: t.Object({ projectId: t.String() }),
    response: { 200: SentryAccepted, 400: SentryError, 401: SentryError, 403: SentryError, 413: SentryError, 415: SentryError, 503: SentryError },
    detail: {
      summary: kind === "envelope" ? "Sentry envelope endpoint (any Sentry SDK)" : "Sentry legacy store endpoint (one JSON event)",
      description:
        "Authenticate with the project's public key: `?sentry_key=`, `X-Sentry-Auth: Sentry sentry_key=…`, or the envelope header's `dsn`. " +
        "Bodies may be gzip, deflate or br encoded; any Content-Type. Events become crashes, feedback and user_report items feedback, " +
        "session(s) items release health; other item types are accepted and discarded.",
      tags: ["sentry"],
    },
  });
  const ip = (server: { requestIP(r: Request): { address: string } | null } | null, request: Request) => server?.requestIP(request)?.address ?? null;
  let app = new Elysia({ name: "sentry" });
  for (const kind of ["envelope", "store"] as const) {
    for (const path of [`/api/:projectId/${kind}/`, `/api/:projectId/${kind}`]) {
      app = app.post(path, ({ request, params, server }) => handle(kind, request, params, ip(server, request)), route(kind)) as unknown as typeof app;
    }
  }
  return app;
}

function itemType(r: SentryIngest): string {
  return r.kind === "crash" ? "event" : r.kind === "sessions" ? "session" : "feedback";
}

function forbidden() {
  return new AppError(403, "wrong_project", "this key belongs to another project: check the project id at the end of your DSN");
}

function randomEventId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}
