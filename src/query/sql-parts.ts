import type { Filter, TimeDimension } from "./shape.ts";

/** Positional parameters for one statement: `p.add(value)` returns its placeholder. */
export class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One filter as SQL over `expr` (a text expression). `is_not` keeps rows whose value is null
 * (a visit with no country is "not DE"); `contains` is a case-sensitive substring; `matches` a
 * PostgreSQL regular expression (checked by safe-pattern.ts first).
 */
export function predicate(f: Filter, expr: string, p: Params): string {
  switch (f.op) {
    case "is":
      return `${expr} = any(${p.add(f.values)}::text[])`;
    case "is_not":
      return `(${expr} is null or not ${expr} = any(${p.add(f.values)}::text[]))`;
    case "contains":
      return `${expr} like any(${p.add(f.values.map((v) => `%${escapeLike(v)}%`))}::text[])`;
    case "matches":
      return `${expr} ~ any(${p.add(f.values)}::text[])`;
  }
}

export const and = (parts: string[]) => (parts.length === 0 ? "true" : parts.join(" and "));

/** The bucket label of a timestamp column in a time zone, as PostgreSQL text. */
export function timeLabel(dim: TimeDimension, column: string, tz: string): string {
  const local = `(${column} at time zone ${tz})`;
  switch (dim) {
    case "time:hour":
      return `to_char(date_trunc('hour', ${local}), 'YYYY-MM-DD HH24:00:00')`;
    case "time:day":
      return `to_char(${local}, 'YYYY-MM-DD')`;
    case "time:week":
      return `to_char(date_trunc('week', ${local}), 'YYYY-MM-DD')`;
    case "time:month":
      return `to_char(date_trunc('month', ${local}), 'YYYY-MM-DD')`;
  }
}

/** The same label for a `date` column (rollups are per UTC day). */
export function dayLabel(dim: Exclude<TimeDimension, "time:hour">, column: string): string {
  if (dim === "time:day") return `to_char(${column}, 'YYYY-MM-DD')`;
  return `to_char(date_trunc('${dim === "time:week" ? "week" : "month"}', ${column}), 'YYYY-MM-DD')`;
}

/** The instant a local date starts in `tz` (a placeholder for the tz), as SQL. */
export const localStart = (date: string, tz: string, p: Params) => `(${p.add(date)}::date::timestamp at time zone ${tz})`;

/** Sums every visit-metric query returns, per group. */
export interface Sums {
  visitors: number;
  visits: number;
  pageviews: number;
  bounces: number;
  durationMs: number;
  events: number;
}
export const SUM_COLUMNS = ["visitors", "visits", "pageviews", "bounces", "duration_ms", "events"] as const;
