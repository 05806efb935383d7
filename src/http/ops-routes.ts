import { Type } from "@sinclair/typebox";
import { Elysia } from "elysia";
import { msUntilNextUtcMidnight } from "../clock.ts";
import type { ComponentHealth, Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { createScrapeCache } from "../metrics/scrape-cache.ts";
import { errorResponseDocs } from "./error-docs.ts";
import { isLocalClient } from "./local-client.ts";
import { secretMatches } from "./secret.ts";
import { etagMatches, snippetAsset } from "./snippet-asset.ts";

/** What /healthz answers, for /swagger (documentation only: the answer is not validated). */
const HealthDoc = Type.Object({
  status: Type.Union([Type.Literal("ok"), Type.Literal("degraded"), Type.Literal("down")]),
  mode: Type.String({ description: "embedded or flowcore" }),
  version: Type.String(),
  components: Type.Record(Type.String(), Type.Object({ status: Type.String({ description: "up, degraded or down" }), detail: Type.Optional(Type.String()) })),
});

/** GET /healthz, /metrics and /snippet.js. */
export function opsRoutes(deps: Deps) {
  const { metrics, config } = deps;
  metrics.serviceInfo.set({ version: deps.version, mode: deps.mode, salt_mode: config.saltMode }, 1);
  const scrape = createScrapeCache(() => {
    metrics.saltRotationSeconds.set(msUntilNextUtcMidnight(deps.clock()) / 1000);
    return metrics.registry.metrics();
  });

  async function databaseHealth(): Promise<ComponentHealth> {
    // Once more on failure: after an outage the pool may hand out a connection that died with
    // the old server; the retry gets a fresh one.
    const probe = deps.database.sql`select 1`
      .catch(() => deps.database.sql`select 1`)
      .then(
        (): ComponentHealth => ({ status: "up" }),
        (err: Error): ComponentHealth => ({ status: "down", detail: err.message.slice(0, 200) }),
      );
    const timeout = new Promise<ComponentHealth>((r) => setTimeout(() => r({ status: "down", detail: "no answer within 2 s" }), 2000).unref?.());
    const result = await Promise.race([probe, timeout]);
    metrics.dbUp.set(result.status === "up" ? 1 : 0);
    return result;
  }

  return new Elysia({ name: "ops" })
    .get(
      "/healthz",
      async ({ set }) => {
        const components: Record<string, ComponentHealth> = { database: await databaseHealth() };
        for (const [name, check] of Object.entries(deps.healthChecks ?? {})) components[name] = await check();
        const down = Object.values(components).some((c) => c.status === "down");
        const degraded = Object.values(components).some((c) => c.status === "degraded");
        set.status = down ? 503 : 200;
        return { status: down ? "down" : degraded ? "degraded" : "ok", mode: deps.mode, version: deps.version, components };
      },
      {
        detail: {
          summary: "Health: 200 when the database answers, 503 when it does not",
          tags: ["ops"],
          responses: {
            200: { description: "Every component is up (or degraded: Flowcore unreachable, events wait in the outbox)", content: { "application/json": { schema: HealthDoc } } },
            503: { description: "A component is down (the database does not answer within 2 s)", content: { "application/json": { schema: HealthDoc } } },
          },
        },
      },
    )
    .get(
      "/metrics",
      async ({ request, set, server }) => {
        if (config.metricsToken) {
          const auth = request.headers.get("authorization") ?? "";
          const token = auth.toLowerCase().startsWith("bearer ") ? auth.slice(7).trim() : null;
          if (!secretMatches(token, config.metricsToken)) throw new AppError(401, "unauthorized", "send Authorization: Bearer <METRICS_TOKEN>");
        } else if (!isLocalClient(server?.requestIP(request)?.address ?? null, request.headers)) {
          // Without a token, metrics stay on this machine: they are no one else's business.
          throw new AppError(403, "forbidden", "without METRICS_TOKEN, /metrics answers only clients on this machine; set METRICS_TOKEN to scrape it from elsewhere");
        }
        set.headers["content-type"] = metrics.registry.contentType;
        return scrape.text();
      },
      {
        detail: {
          summary: "Prometheus metrics, rendered at most once a second (Bearer METRICS_TOKEN when set; without it, loopback clients only)",
          tags: ["ops"],
          responses: {
            200: { description: "Prometheus text format", content: { "text/plain": { schema: { type: "string" } } } },
            ...errorResponseDocs("unauthorized", "forbidden"),
          },
        },
      },
    )
    .get("/snippet.js", ({ request }) => serveScript("snippet.js", request), { detail: { summary: "The trackEvent browser snippet", tags: ["ops"] } })
    .get("/snippet.vitals.js", ({ request }) => serveScript("snippet.vitals.js", request), {
      detail: { summary: "The opt-in Web Vitals add-on to the snippet (LCP, INP, CLS, FCP, TTFB → POST /api/vitals)", tags: ["ops"] },
    });
}

/** A built browser script, cached an hour by browsers and revalidated by ETag. */
async function serveScript(name: "snippet.js" | "snippet.vitals.js", request: Request): Promise<Response> {
  const asset = await snippetAsset(name);
  const headers = {
    "content-type": "text/javascript; charset=utf-8",
    "cache-control": "public, max-age=3600, stale-while-revalidate=86400",
    etag: asset.etag,
    "access-control-allow-origin": "*",
  };
  if (etagMatches(request.headers.get("if-none-match"), asset.etag)) return new Response(null, { status: 304, headers });
  return new Response(asset.code, { headers });
}
