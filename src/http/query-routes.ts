import { Elysia } from "elysia";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { toCsv } from "../query/csv.ts";
import { daysBetween } from "../query/date-range.ts";
import { exportEvents } from "../query/export-events.ts";
import { runQuery } from "../query/run-query.ts";
import { QueryBody, QueryResponse } from "../query/shape.ts";
import { projectTimeZoneLookup, siteTimeZone } from "../query/site-time-zone.ts";
import { validateQuery } from "../query/validate-query.ts";
import { readJsonBody } from "./read-body.ts";
import { errorResponseDocs, errorResponses } from "./error-docs.ts";

/** What the read routes need to know about the caller (accounts' Reader satisfies it). */
export interface QueryReader {
  canRead(site: string): Promise<boolean>;
}
/** Identifies the caller from the request or throws a 401 AppError. */
export type Authorise = (request: Request) => Promise<QueryReader>;

/** Until an authoriser is wired in, nothing is readable (never open by default). */
export const closedAuthoriser: Authorise = async () => {
  throw new AppError(401, "setup_required", "reading statistics needs an account; none is configured on this server");
};

const MAX_QUERY_BYTES = 64 * 1024;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * POST /api/v1/query (the Stats API) and GET /api/v1/export (raw events as JSON lines). The
 * caller is identified first (401), then the query is validated (400 naming the field), then the
 * caller must be allowed to read the site (403).
 */
export function queryRoutes(deps: Deps, o: { authorise: Authorise; timeZoneFor?: (site: string) => Promise<string> }) {
  const sql = deps.database.sql;
  const timeZoneFor = o.timeZoneFor ?? siteTimeZone(projectTimeZoneLookup(sql));
  const allowed = async (reader: QueryReader, site: string) => {
    if (!(await reader.canRead(site))) throw new AppError(403, "forbidden", `you may not read site "${site}"`);
  };

  return new Elysia({ name: "query" })
    .post(
      "/api/v1/query",
      async ({ request, body }) => {
        const reader = await o.authorise(request);
        const query = validateQuery(body);
        await allowed(reader, query.site);
        await deps.ensureSchema();
        const result = await runQuery({ sql, clock: deps.clock, timeZoneFor }, query);
        const csv = query.format === "csv" || new URL(request.url).searchParams.get("format") === "csv" || /\btext\/csv\b/.test(request.headers.get("accept") ?? "");
        if (csv)
          return new Response(toCsv(result), { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${query.site}-stats.csv"` } });
        return new Response(JSON.stringify(result), { headers: { "content-type": "application/json; charset=utf-8" } });
      },
      {
        parse: ({ request }) => readJsonBody(request, MAX_QUERY_BYTES),
        response: {
          200: QueryResponse,
          ...errorResponses(
            "invalid_json",
            "invalid_encoding",
            "empty_body",
            "invalid_query",
            "setup_required",
            "forbidden",
            "payload_too_large",
            "unsupported_media_type",
            "unavailable",
          ),
        },
        detail: {
          summary: "Query statistics (modelled on Plausible's Stats API v2)",
          description:
            "Metrics over a date range, broken down by dimensions, filtered, ordered, paginated, optionally compared with the previous period. " +
            '`Authorization: Bearer <API token>`, a dashboard session or a share link. CSV with `Accept: text/csv`, `?format=csv` or `"format": "csv"`. ' +
            'Example: {"site":"example.com","metrics":["visitors","pageviews","bounce_rate"],"date_range":"30d","dimensions":["page"],"filters":[["is","country",["DE"]]],"limit":10}',
          tags: ["stats"],
          requestBody: { required: true, content: { "application/json": { schema: QueryBody as never } } },
        },
      },
    )
    .get(
      "/api/v1/export",
      async ({ request }) => {
        const reader = await o.authorise(request);
        const url = new URL(request.url);
        const site = url.searchParams.get("site")?.toLowerCase() ?? "";
        const from = url.searchParams.get("from") ?? "";
        const to = url.searchParams.get("to") ?? "";
        if (!site || site.length > 253) throw new AppError(400, "invalid_query", "site: required (the site to export)");
        if (!DATE.test(from) || Number.isNaN(Date.parse(from))) throw new AppError(400, "invalid_query", "from: required, a date YYYY-MM-DD");
        if (!DATE.test(to) || Number.isNaN(Date.parse(to))) throw new AppError(400, "invalid_query", "to: required, a date YYYY-MM-DD");
        if (from > to) throw new AppError(400, "invalid_query", "from: after to");
        if (daysBetween(from, to) > 3660) throw new AppError(400, "invalid_query", "to: at most 3660 days after from");
        await allowed(reader, site);
        await deps.ensureSchema();
        const tz = await timeZoneFor(site);
        return new Response(exportEvents(sql, site, tz, from, to), {
          headers: { "content-type": "application/x-ndjson; charset=utf-8", "content-disposition": `attachment; filename="${site}-${from}-${to}.jsonl"` },
        });
      },
      {
        detail: {
          summary: "Export a site's raw events as JSON lines (streamed)",
          description:
            "`?site=example.com&from=2026-11-01&to=2026-11-30` (local dates of the site's project). One JSON object per line: page views, custom events and crashes with a `type` field, oldest first.",
          tags: ["stats"],
          responses: {
            200: { description: "JSON lines", content: { "application/x-ndjson": { schema: { type: "string" } } } },
            ...errorResponseDocs("invalid_query", "setup_required", "forbidden", "unavailable"),
          },
        },
      },
    );
}
