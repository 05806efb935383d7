import { Type, type Static } from "@sinclair/typebox";
import { VISIT_ATTRIBUTES } from "../pathways/handlers/visit-dimensions.ts";

/**
 * The Stats API query, modelled on Plausible's Stats API v2 (POST /api/v1/query). One TypeBox
 * schema is the runtime check, the static type and the /swagger documentation; `validateQuery`
 * adds the rules a schema cannot say (combinations, ranges) and names the field at fault.
 */
export const VISIT_METRICS = ["visitors", "visits", "pageviews", "views_per_visit", "bounce_rate", "visit_duration", "events", "conversion_rate", "percentage"] as const;
export const CRASH_METRICS = ["crashes", "crash_visitors"] as const;
/** Web Vitals: the 75th percentile of each (ms; CLS unitless), and how many page loads were measured. */
export const VITALS_METRICS = ["lcp_p75", "inp_p75", "cls_p75", "fcp_p75", "ttfb_p75", "vitals_measurements"] as const;
export type VitalsMetric = (typeof VITALS_METRICS)[number];
/** Release health (Sentry sessions): sessions started, errored, crashed, abnormal, and the crash-free rate in percent. */
export const SESSION_METRICS = ["sessions", "errored_sessions", "crashed_sessions", "abnormal_sessions", "crash_free_rate"] as const;
export type SessionMetric = (typeof SESSION_METRICS)[number];
export const METRICS = [...VISIT_METRICS, ...CRASH_METRICS, ...VITALS_METRICS, ...SESSION_METRICS] as const;
export type Metric = (typeof METRICS)[number];

export const TIME_DIMENSIONS = ["time:hour", "time:day", "time:week", "time:month"] as const;
export type TimeDimension = (typeof TIME_DIMENSIONS)[number];
export const EVENT_DIMENSIONS = ["page", "event"] as const; // plus props:<key>
export const VISIT_DIMENSIONS = Object.keys(VISIT_ATTRIBUTES) as (keyof typeof VISIT_ATTRIBUTES)[];
/** Dimensions of crash queries (metrics crashes, crash_visitors). */
export const CRASH_DIMENSIONS = ["release", "crash_group", "platform", "page", "browser", "os", "device", "country"] as const;
/** Dimensions of Web Vitals queries. */
export const VITALS_DIMENSIONS = ["page", "browser", "os", "device"] as const;
/** Dimensions of release-health queries. */
export const SESSION_DIMENSIONS = ["release", "environment"] as const;
export const RELATIVE_RANGES = ["day", "7d", "30d", "month", "6mo", "12mo", "year", "all", "realtime"] as const;
export const FILTER_OPS = ["is", "is_not", "contains", "matches"] as const;
export const MAX_LIMIT = 10_000;
export const MAX_PATTERN = 256;

const DateString = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "YYYY-MM-DD in the project's time zone" });
const Dimension = Type.String({
  minLength: 1,
  maxLength: 80,
  description: `one of ${[...VISIT_DIMENSIONS, ...EVENT_DIMENSIONS, "props:<key>", ...TIME_DIMENSIONS].join(", ")}; crash queries: ${CRASH_DIMENSIONS.join(", ")}, time:*; Web Vitals: ${VITALS_DIMENSIONS.join(", ")}, time:*; release health: ${SESSION_DIMENSIONS.join(", ")}, time:*`,
});

export const QueryBody = Type.Object(
  {
    site: Type.String({ minLength: 1, maxLength: 253, description: "The site (as events are stored under it)" }),
    metrics: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 12, description: `any of ${METRICS.join(", ")}` }),
    date_range: Type.Union([Type.String({ maxLength: 20 }), Type.Tuple([DateString, DateString])], {
      description: `${RELATIVE_RANGES.join(", ")}, or [from, to] (inclusive local dates)`,
    }),
    date: Type.Optional(Type.Union([DateString], { description: "Anchor 'today' for relative ranges (default: today in the project's time zone)" })),
    dimensions: Type.Optional(Type.Array(Dimension, { maxItems: 3 })),
    filters: Type.Optional(
      Type.Array(Type.Tuple([Type.String({ maxLength: 20 }), Dimension, Type.Array(Type.String({ maxLength: 2048 }), { minItems: 1, maxItems: 100 })]), {
        maxItems: 20,
        description: "[operator, dimension, values]: is, is_not, contains, matches (a bounded pattern), combined with AND",
      }),
    ),
    order_by: Type.Optional(Type.Array(Type.Tuple([Type.String({ maxLength: 80 }), Type.Union([Type.Literal("asc"), Type.Literal("desc")])]), { maxItems: 5 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, description: `1–${MAX_LIMIT} (default ${MAX_LIMIT})` })),
    offset: Type.Optional(Type.Integer({ minimum: 0 })),
    compare: Type.Optional(Type.Union([Type.Literal("previous_period"), Type.Null()])),
    format: Type.Optional(Type.Union([Type.Literal("json"), Type.Literal("csv")])),
  },
  { additionalProperties: false },
);
export type QueryBody = Static<typeof QueryBody>;

export type FilterOp = (typeof FILTER_OPS)[number];
export interface Filter {
  op: FilterOp;
  dim: string;
  values: string[];
}

/** A query after validation: every name known, every combination answerable. */
export interface Query {
  site: string;
  kind: "visits" | "crashes" | "vitals" | "sessions" | "realtime";
  metrics: Metric[];
  dimensions: string[];
  filters: Filter[];
  /** Inclusive local dates (realtime: the last 5 minutes, dates unused). */
  range: { from: string; to: string } | null;
  relative: string | null;
  anchor: string | null;
  orderBy: [string, "asc" | "desc"][];
  limit: number;
  offset: number;
  compare: boolean;
  format: "json" | "csv";
}

export const QueryResultRow = Type.Object({
  dimensions: Type.Array(Type.Union([Type.String(), Type.Null()])),
  /** A Web Vitals percentile is null where no page load reported that metric. */
  metrics: Type.Array(Type.Union([Type.Number(), Type.Null()])),
  comparison: Type.Optional(Type.Object({ metrics: Type.Array(Type.Union([Type.Number(), Type.Null()])), change: Type.Array(Type.Union([Type.Number(), Type.Null()])) })),
});
export const QueryResponse = Type.Object({
  results: Type.Array(QueryResultRow),
  meta: Type.Object({
    site: Type.String(),
    time_zone: Type.String(),
    date_range: Type.Array(Type.String()),
    comparison_date_range: Type.Optional(Type.Array(Type.String())),
    metrics: Type.Array(Type.String()),
    dimensions: Type.Array(Type.String()),
    total_rows: Type.Integer(),
    source: Type.String({ description: "rollups, filtered_rollups, visits, crashes, web_vitals, release_health or events: the table the planner answered from" }),
  }),
});
export type QueryResponse = Static<typeof QueryResponse>;
