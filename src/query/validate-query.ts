import { Value } from "@sinclair/typebox/value";
import { AppError } from "../errors.ts";
import { unsafePatternReason } from "./safe-pattern.ts";
import {
  CRASH_DIMENSIONS,
  CRASH_METRICS,
  FILTER_OPS,
  MAX_LIMIT,
  METRICS,
  QueryBody,
  RELATIVE_RANGES,
  SESSION_DIMENSIONS,
  SESSION_METRICS,
  TIME_DIMENSIONS,
  VISIT_DIMENSIONS,
  VITALS_DIMENSIONS,
  VITALS_METRICS,
  type Filter,
  type FilterOp,
  type Metric,
  type Query,
} from "./shape.ts";

const bad = (field: string, message: string) => new AppError(400, "invalid_query", `${field}: ${message}`);
const PROPS = /^props:[^\s]{1,64}$/;
const isTime = (d: string) => (TIME_DIMENSIONS as readonly string[]).includes(d);
const MAX_DAYS = 3660;

/** Body → Query, or a 400 naming the first field at fault. */
export function validateQuery(body: unknown): Query {
  if (!Value.Check(QueryBody, body)) {
    const first = [...Value.Errors(QueryBody, body)][0];
    const path = first?.path.replace(/^\//, "").replace(/\//g, ".") || "body";
    throw bad(path, first?.message ?? "does not match the query schema");
  }
  const b = body as QueryBody;
  const metrics = b.metrics as Metric[];
  metrics.forEach((m, i) => {
    if (!(METRICS as readonly string[]).includes(m)) throw bad(`metrics.${i}`, `unknown metric "${m}" (known: ${METRICS.join(", ")})`);
  });
  if (new Set(metrics).size !== metrics.length) throw bad("metrics", "a metric is listed twice");
  const crash = metrics.filter((m) => (CRASH_METRICS as readonly string[]).includes(m));
  if (crash.length > 0 && crash.length < metrics.length) throw bad("metrics", "crash metrics (crashes, crash_visitors) cannot be mixed with visit metrics");
  const vitals = metrics.filter((m) => (VITALS_METRICS as readonly string[]).includes(m));
  if (vitals.length > 0 && vitals.length < metrics.length) throw bad("metrics", `Web Vitals metrics (${VITALS_METRICS.join(", ")}) cannot be mixed with other metrics`);
  const sessions = metrics.filter((m) => (SESSION_METRICS as readonly string[]).includes(m));
  if (sessions.length > 0 && sessions.length < metrics.length) throw bad("metrics", `release health metrics (${SESSION_METRICS.join(", ")}) cannot be mixed with other metrics`);
  const realtime = b.date_range === "realtime";
  if (vitals.length > 0 && realtime) throw bad("date_range", "Web Vitals have no realtime view");
  if (vitals.length > 0 && b.compare) throw bad("compare", "Web Vitals percentiles are not compared");
  if (sessions.length > 0 && realtime) throw bad("date_range", "release health has no realtime view (sessions are counted per hour)");
  if (sessions.length > 0 && b.compare) throw bad("compare", "release health is not compared");
  const kind: Query["kind"] = crash.length > 0 ? "crashes" : vitals.length > 0 ? "vitals" : sessions.length > 0 ? "sessions" : realtime ? "realtime" : "visits";

  const dimensions = b.dimensions ?? [];
  const dimOk = (d: string) =>
    isTime(d) ||
    (kind === "crashes"
      ? (CRASH_DIMENSIONS as readonly string[]).includes(d)
      : kind === "vitals"
        ? (VITALS_DIMENSIONS as readonly string[]).includes(d)
        : kind === "sessions"
          ? (SESSION_DIMENSIONS as readonly string[]).includes(d)
          : (VISIT_DIMENSIONS as string[]).includes(d) || d === "page" || d === "event" || PROPS.test(d));
  dimensions.forEach((d, i) => {
    if (!dimOk(d)) {
      const known =
        kind === "crashes"
          ? ` for crash metrics (known: ${CRASH_DIMENSIONS.join(", ")}, time:*)`
          : kind === "vitals"
            ? ` for Web Vitals metrics (known: ${VITALS_DIMENSIONS.join(", ")}, time:*)`
            : kind === "sessions"
              ? ` for release health metrics (known: ${SESSION_DIMENSIONS.join(", ")}, time:*)`
              : "";
      throw bad(`dimensions.${i}`, `unknown dimension "${d}"${known}`);
    }
  });
  if (new Set(dimensions).size !== dimensions.length) throw bad("dimensions", "a dimension is listed twice");
  if (dimensions.filter(isTime).length > 1) throw bad("dimensions", "at most one time dimension");

  const filters: Filter[] = (b.filters ?? []).map(([op, dim, values], i) => {
    if (!(FILTER_OPS as readonly string[]).includes(op)) throw bad(`filters.${i}.0`, `unknown operator "${op}" (known: ${FILTER_OPS.join(", ")})`);
    if (isTime(dim) || !dimOk(dim)) throw bad(`filters.${i}.1`, `cannot filter on "${dim}"`);
    if (op === "matches") {
      values.forEach((v, j) => {
        const reason = unsafePatternReason(v);
        if (reason) throw bad(`filters.${i}.2.${j}`, reason);
      });
    }
    return { op: op as FilterOp, dim, values };
  });

  if (kind === "realtime") {
    if (metrics.some((m) => m !== "visitors" && m !== "pageviews")) throw bad("metrics", "realtime answers visitors and pageviews only");
    if (dimensions.length > 0) throw bad("dimensions", "realtime takes no dimensions");
    if (filters.length > 0) throw bad("filters", "realtime takes no filters");
    if (b.compare) throw bad("compare", "realtime cannot be compared");
  }
  if (kind === "visits") checkVisitCombination(metrics, dimensions, filters);

  const names = new Set<string>([...metrics, ...dimensions]);
  const orderBy = (b.order_by ?? []).map(([key, dir], i) => {
    if (!names.has(key)) throw bad(`order_by.${i}.0`, `"${key}" is not one of the query's metrics or dimensions`);
    return [key, dir] as [string, "asc" | "desc"];
  });
  if ((b.limit ?? 0) > MAX_LIMIT) throw bad("limit", `at most ${MAX_LIMIT}`);

  let range: Query["range"] = null;
  let relative: string | null = null;
  if (Array.isArray(b.date_range)) {
    const [from, to] = b.date_range;
    if (!validDate(from)) throw bad("date_range.0", `"${from}" is not a date`);
    if (!validDate(to)) throw bad("date_range.1", `"${to}" is not a date`);
    if (from > to) throw bad("date_range", "the start is after the end");
    if ((Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 > MAX_DAYS) throw bad("date_range", `at most ${MAX_DAYS} days`);
    range = { from, to };
  } else {
    if (!(RELATIVE_RANGES as readonly string[]).includes(b.date_range))
      throw bad("date_range", `unknown range "${b.date_range}" (known: ${RELATIVE_RANGES.join(", ")}, or [from, to])`);
    relative = b.date_range;
  }
  if (b.date && !validDate(b.date)) throw bad("date", `"${b.date}" is not a date`);

  return {
    site: b.site.toLowerCase(),
    kind,
    metrics,
    dimensions,
    filters,
    range,
    relative,
    anchor: b.date ?? null,
    orderBy,
    limit: b.limit ?? MAX_LIMIT,
    offset: b.offset ?? 0,
    compare: b.compare === "previous_period",
    format: b.format ?? "json",
  };
}

function checkVisitCombination(metrics: Metric[], dimensions: string[], filters: Filter[]) {
  const nonTime = dimensions.filter((d) => !isTime(d));
  const props = new Set([...dimensions, ...filters.map((f) => f.dim)].filter((d) => d.startsWith("props:")));
  if (props.size > 1) throw bad("dimensions", "at most one props:<key> per query (across dimensions and filters)");
  const hasPage = nonTime.includes("page");
  const hasEventLevel = nonTime.some((d) => d === "event" || d.startsWith("props:"));
  if (hasPage && hasEventLevel) throw bad("dimensions", "page cannot be combined with event or props:<key> dimensions");
  if (metrics.includes("conversion_rate")) {
    const goal = nonTime.includes("event") || filters.some((f) => f.dim === "event");
    if (!goal) throw bad("metrics", "conversion_rate needs the event dimension or a filter on event");
    if (nonTime.some((d) => d !== "event" && !d.startsWith("props:"))) throw bad("metrics", "conversion_rate combines only with event, props:<key> and time dimensions");
  }
  if (metrics.includes("percentage") && nonTime.length === 0) throw bad("metrics", "percentage needs a non-time dimension");
}

function validDate(s: string): boolean {
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
}
