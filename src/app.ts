import { Elysia } from "elysia";
import type { Deps } from "./deps.ts";
import { errorResponse } from "./errors.ts";
import { requestClientIp } from "./http/client-ip.ts";
import { docsRoutes } from "./http/docs-routes.ts";
import { corsHeaders, preflightResponse } from "./http/cors.ts";
import { dashboardRoutes } from "./http/dashboard-routes.ts";
import { createRateLimiter } from "./http/rate-limit.ts";
import { authenticateReader } from "./accounts/reader.ts";
import { adminRoutes } from "./http/admin-routes.ts";
import { authRoutes } from "./http/auth-routes.ts";
import { crashAccess } from "./http/crash-access.ts";
import { crashRoutes } from "./http/crash-routes.ts";
import { errorHandler } from "./http/error-handler.ts";
import { feedbackAdminRoutes } from "./http/feedback-admin-routes.ts";
import { feedbackRoutes } from "./http/feedback-routes.ts";
import { ingestRoutes } from "./http/ingest-routes.ts";
import { isSentryPath, SENTRY_CORS_HEADERS, sentryPreflight } from "./http/sentry-cors.ts";
import { sentryRoutes } from "./http/sentry-routes.ts";
import { opsRoutes } from "./http/ops-routes.ts";
import { queryRoutes } from "./http/query-routes.ts";
import { transformerRoute } from "./http/transformer-route.ts";
import { ADAPTERS } from "./ingest/adapters/index.ts";

/**
 * The HTTP app. Tests call `buildApp(deps).handle(new Request(...))`; index.ts listens on a port.
 */
export function buildApp(deps: Deps) {
  const { config, metrics } = deps;
  // Sentry SDKs post from any origin (issue 14): those endpoints answer every origin.
  const cors = (req: Request) => (isSentryPath(pathOf(req.url)) ? SENTRY_CORS_HEADERS : corsHeaders(req.headers.get("origin"), config.corsOrigins));
  const started = new WeakMap<Request, number>();
  const limiter = config.rateLimit ? createRateLimiter(config.rateLimit) : null;

  return new Elysia()
    .use(errorHandler(deps.log, metrics, cors))
    .onRequest(({ request, server }) => {
      started.set(request, performance.now());
      if (request.method === "OPTIONS") return isSentryPath(pathOf(request.url)) ? sentryPreflight() : preflightResponse(request, config.corsOrigins);
      // Rate limit the public ingest endpoints before any body is read.
      const ingest = limiter && request.method === "POST" ? ingestRoute(request.url) : null;
      if (limiter && ingest) {
        const ip = requestClientIp(request, server, config.trustProxy);
        const wait = limiter.take(ip);
        if (wait > 0) {
          metrics.rejected.inc({ code: "rate_limited" });
          // Answered before routing, so no later hook sees it: record its duration here.
          metrics.httpDuration.observe({ method: request.method, route: ingest, status: "429" }, (performance.now() - started.get(request)!) / 1000);
          deps.log.throttled("http-rate_limited", 10_000, "warn", "request rejected", { code: "rate_limited", status: 429 });
          // Sentry SDKs read X-Sentry-Rate-Limits ("<seconds>:<categories>:<scope>"; no categories = all).
          const sentry: Record<string, string> = isSentryPath(pathOf(request.url)) ? { "x-sentry-rate-limits": `${wait}::key` } : {};
          return errorResponse(429, "rate_limited", `too many requests from this client; retry in ${wait} s`, { "retry-after": String(wait), ...sentry, ...cors(request) });
        }
      }
    })
    .onAfterHandle({ as: "global" }, ({ request, set }) => {
      Object.assign(set.headers, cors(request));
    })
    .onAfterResponse({ as: "global" }, ({ request, route, set }) => {
      const t0 = started.get(request);
      if (t0 === undefined) return;
      const status = typeof set.status === "number" ? set.status : 200;
      // Errors (413, 415, 404, …) set `set.status` in the error handler; unmatched paths are one label.
      metrics.httpDuration.observe({ method: request.method, route: route || "unmatched", status: String(status) }, (performance.now() - t0) / 1000);
    })
    .use(docsRoutes(deps))
    .use(ingestRoutes(deps))
    .use(feedbackRoutes(deps))
    .use(sentryRoutes(deps))
    .use(transformerRoute(deps))
    .use(queryRoutes(deps, { authorise: deps.authoriseReader ?? ((request) => authenticateReader(deps, request)) }))
    .use(opsRoutes(deps))
    .use(authRoutes(deps))
    .use(adminRoutes(deps))
    .use(crashRoutes(deps, crashAccess(deps)))
    .use(feedbackAdminRoutes(deps))
    .use(dashboardRoutes());
}
export type App = ReturnType<typeof buildApp>;

// Every ingest adapter's route is rate limited, so a new wire format is covered without an edit
// here; feedback and the Sentry endpoints (their own routes: raw bodies, keys) are added.
const INGEST_ROUTES = [...ADAPTERS.flatMap((a) => a.routes.map((r) => r.path)), "/api/feedback", "/sdk/:app_slug/feedback"];
const INGEST_MATCHERS = INGEST_ROUTES.map((r) => [r, r.includes("/:") ? routePattern(r) : null] as const);

/** The ingest route a URL is for (its label in metrics), or null. */
function ingestRoute(url: string): string | null {
  const path = pathOf(url);
  if (isSentryPath(path)) return path.includes("/store") ? "/api/:projectId/store/" : "/api/:projectId/envelope/";
  return INGEST_MATCHERS.find(([r, pattern]) => (pattern ? pattern.test(path) : path.startsWith(r)))?.[0] ?? null;
}

function pathOf(url: string): string {
  const path = url.slice(url.indexOf("/", url.indexOf("//") + 2));
  const q = path.indexOf("?");
  return q < 0 ? path : path.slice(0, q);
}

/** `/sdk/:app_slug/crashes` → a pattern its paths match (a parameter is one path segment). */
function routePattern(route: string): RegExp {
  return new RegExp(`^${route.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\/:[^/]+/g, "/[^/]+")}(?:[/?]|$)`);
}
