import { swagger } from "@elysiajs/swagger";
import { Elysia } from "elysia";
import type { Deps } from "./deps.ts";
import { corsHeaders, preflightResponse } from "./http/cors.ts";
import { errorHandler } from "./http/error-handler.ts";
import { ingestRoutes } from "./http/ingest-routes.ts";
import { opsRoutes } from "./http/ops-routes.ts";
import { transformerRoute } from "./http/transformer-route.ts";

/**
 * The HTTP app. Tests call `buildApp(deps).handle(new Request(...))`; index.ts listens on a port.
 */
export function buildApp(deps: Deps) {
  const { config, metrics } = deps;
  const cors = (req: Request) => corsHeaders(req.headers.get("origin"), config.corsOrigins);
  const started = new WeakMap<Request, number>();

  return new Elysia()
    .use(errorHandler(deps.log, metrics, cors))
    .onRequest(({ request }) => {
      started.set(request, performance.now());
      if (request.method === "OPTIONS") return preflightResponse(request, config.corsOrigins);
    })
    .onAfterHandle({ as: "global" }, ({ request, set }) => {
      Object.assign(set.headers, cors(request));
    })
    .onAfterResponse({ as: "global" }, ({ request, route, set }) => {
      const t0 = started.get(request);
      if (t0 === undefined) return;
      const status = typeof set.status === "number" ? set.status : 200;
      metrics.httpDuration.observe({ method: request.method, route: route || "unmatched", status: String(status) }, (performance.now() - t0) / 1000);
    })
    .use(
      swagger({
        path: "/swagger",
        documentation: {
          info: {
            title: "Private analytics API",
            version: deps.version,
            description: "Cookie-free page views, custom events and crash reports. Errors are JSON: { error: { code, message } }.",
          },
        },
      }),
    )
    .use(ingestRoutes(deps))
    .use(transformerRoute(deps))
    .use(opsRoutes(deps));
}
export type App = ReturnType<typeof buildApp>;
