import type { Sql } from "../db/client.ts";
import { EVENT_PROPS } from "../pathways/handlers/rollup-delta.ts";
import { crashesSql } from "./crashes-sql.ts";
import { filteredPlan, filteredRollupsSql } from "./filtered-rollups-sql.ts";
import { rollupsSql } from "./rollups-sql.ts";
import type { Filter, TimeDimension } from "./shape.ts";
import type { Sums } from "./sql-parts.ts";
import { visitsSql, type SqlStatement } from "./visits-sql.ts";

/** Rows as the planner returns them: dimension labels (null = no value) and the sums. */
export interface Group {
  dims: (string | null)[];
  sums: Sums;
}
export type Source = "rollups" | "filtered_rollups" | "visits";

const UTC_ZONES = new Set(["UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"]);
export const isUtc = (tz: string) => UTC_ZONES.has(tz);

/**
 * Picks the table that answers a visit query exactly and fastest. The daily rollups hold one row
 * per (site, UTC day, dimension, value), so they answer a query when its days are UTC days, it
 * has no hourly buckets, at most one non-time dimension, and filters only on that dimension (or,
 * without one, a single `is` filter with one value). Everything else reads `visits`.
 */
export function planVisits(site: string, tz: string, range: { from: string; to: string }, dimensions: string[], filters: Filter[]): { source: Source; statement: SqlStatement } {
  const timeDim = dimensions.find((d) => d.startsWith("time:")) as TimeDimension | undefined;
  const nonTime = dimensions.filter((d) => !d.startsWith("time:"));
  const oneValue = filters.length === 1 && filters[0]!.op === "is" && filters[0]!.values.length === 1;
  const rollable =
    isUtc(tz) && timeDim !== "time:hour" && nonTime.length <= 1 && (nonTime.length === 1 ? filters.every((f) => f.dim === nonTime[0]) : filters.length === 0 || oneValue);
  // A goal broken down by one of its properties: dims [props:k] (+ time), one `is event [X]`
  // filter and filters on props:k only — the rollups keep (event, property value) pairs.
  const goal = filters.filter((f) => f.dim === "event");
  const goalProps =
    isUtc(tz) &&
    timeDim !== "time:hour" &&
    nonTime.length === 1 &&
    nonTime[0]!.startsWith("props:") &&
    goal.length === 1 &&
    goal[0]!.op === "is" &&
    goal[0]!.values.length === 1 &&
    filters.every((f) => f.dim === "event" || f.dim === nonTime[0]);
  if (goalProps) {
    const t = (timeDim ?? null) as Exclude<TimeDimension, "time:hour"> | null;
    const statement = rollupsSql(
      site,
      range,
      `${EVENT_PROPS}${nonTime[0]!.slice(6)}`,
      t,
      filters.filter((f) => f.dim !== "event"),
      true,
      goal[0]!.values[0]!,
    );
    return { source: "rollups", statement };
  }
  if (!rollable) return { source: "visits", statement: visitsSql(site, tz, range, dimensions, filters) };
  const dim = nonTime[0] ?? filters[0]?.dim ?? "total";
  const t = (timeDim ?? null) as Exclude<TimeDimension, "time:hour"> | null;
  // The label order of rollupsSql is [time, value]; put them back in the query's order.
  const statement = rollupsSql(site, range, dim, t, filters, nonTime.length === 1);
  return { source: "rollups", statement };
}

/** Runs a visit query; dimension labels come back in the order of `dimensions`. */
export async function fetchVisitGroups(
  sql: Sql,
  site: string,
  tz: string,
  range: { from: string; to: string },
  dimensions: string[],
  filters: Filter[],
): Promise<{ source: Source; groups: Group[] }> {
  // A breakdown filtered on another attribute: the sealed days' filtered rollups plus the rest.
  const filtered = filteredPlan(isUtc(tz), dimensions, filters);
  const { source, statement } = filtered
    ? { source: "filtered_rollups" as const, statement: await filteredRollupsSql(sql, site, range, filtered) }
    : planVisits(site, tz, range, dimensions, filters);
  const rows = (await sql.unsafe(statement.text, statement.params as never[])) as unknown as Record<string, unknown>[];
  // rollupsSql labels time first; reorder when the query named the other dimension first.
  const swap = source === "rollups" && dimensions.length === 2 && !dimensions[0]!.startsWith("time:");
  const groups = rows.map((r) => {
    const labels = dimensions.map((_, i) => (r[`d${i}`] ?? null) as string | null);
    return {
      dims: swap ? [labels[1]!, labels[0]!] : labels,
      sums: {
        visitors: Number(r.visitors),
        visits: Number(r.visits),
        pageviews: Number(r.pageviews),
        bounces: Number(r.bounces),
        durationMs: Number(r.duration_ms),
        events: Number(r.events),
      },
    };
  });
  return { source, groups };
}

export interface CrashGroupRow {
  dims: (string | null)[];
  crashes: number;
  crashVisitors: number;
}

export async function fetchCrashGroups(sql: Sql, site: string, tz: string, range: { from: string; to: string }, dimensions: string[], filters: Filter[]): Promise<CrashGroupRow[]> {
  const s = crashesSql(site, tz, range, dimensions, filters);
  const rows = (await sql.unsafe(s.text, s.params as never[])) as unknown as Record<string, unknown>[];
  return rows.map((r) => ({ dims: dimensions.map((_, i) => (r[`d${i}`] ?? null) as string | null), crashes: Number(r.crashes), crashVisitors: Number(r.crash_visitors) }));
}
