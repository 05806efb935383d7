import type { Sql } from "../db/client.ts";
import { EVENT_PROPS } from "../pathways/handlers/rollup-delta.ts";
import { addDays } from "./date-range.ts";
import { BREAKDOWN_DIMS, FILTER_DIMS } from "./seal-days.ts";
import type { Filter } from "./shape.ts";
import { visitsSql, type SqlStatement } from "./visits-sql.ts";

/** What a filtered-rollup plan reads: rows of (fdim = fvalue) broken down by `dim`. */
export interface FilteredPlan {
  fdim: string;
  fvalue: string;
  /** The query's dimension. */
  dim: string;
  /** A goal's property (`props:<key>` with an `is event [name]` filter): the event name. */
  eventName: string | null;
}

const singleIs = (f: Filter) => f.op === "is" && f.values.length === 1 && f.values[0] !== "";

/**
 * Whether `rollups_filtered` can answer a query: UTC days, one non-time dimension kept under
 * filters (an attribute, page, event or property) and one single-value `is` filter on another
 * dimension that is kept as a filter — plus, for a property, optionally one single-value
 * `is event` filter (a goal broken down by its property). A filter on the breakdown's own
 * dimension, or no dimension, is the daily rollups'.
 */
export function filteredPlan(utc: boolean, dimensions: string[], filters: Filter[]): FilteredPlan | null {
  if (!utc || dimensions.length !== 1) return null;
  const [dim] = dimensions as [string];
  const isProps = dim.startsWith("props:");
  if (!isProps && !BREAKDOWN_DIMS.includes(dim)) return null;
  const goal = isProps && filters.length === 2 ? filters.find((f) => f.dim === "event" && singleIs(f)) : undefined;
  const rest = filters.filter((f) => f !== goal);
  if (rest.length !== 1) return null;
  const [f] = rest as [Filter];
  if (!singleIs(f) || f.dim === dim || !(FILTER_DIMS as readonly string[]).includes(f.dim)) return null;
  return { fdim: f.dim, fvalue: f.values[0]!, dim, eventName: goal ? goal.values[0]! : null };
}

/**
 * The statement for a filtered plan: the sealed days of the range from `rollups_filtered` (a few
 * rows per day and value), the other days (today, a day changed since it was sealed) from
 * `visits`, one index range per run of consecutive unsealed days, summed per value. Visitors add
 * up over days because a visitor hash lives one UTC day.
 */
export async function filteredRollupsSql(sql: Sql, site: string, range: { from: string; to: string }, plan: FilteredPlan): Promise<SqlStatement & { sealedDays: number }> {
  const sealed = new Set(
    (
      (await sql`select to_char(day, 'YYYY-MM-DD') as day from sealed_days where site = ${site} and day >= ${range.from}::date and day <= ${range.to}::date`) as unknown as {
        day: string;
      }[]
    ).map((r) => r.day),
  );
  const runs: { from: string; to: string }[] = [];
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) {
    if (sealed.has(d)) continue;
    const last = runs[runs.length - 1];
    if (last && addDays(last.to, 1) === d) last.to = d;
    else runs.push({ from: d, to: d });
  }
  const filters: Filter[] = [{ op: "is", dim: plan.fdim, values: [plan.fvalue] }];
  if (plan.eventName !== null) filters.push({ op: "is", dim: "event", values: [plan.eventName] });
  // A goal's property reads the (event name, value) rows: value `[name, value]`.
  const rowsDim = plan.eventName !== null ? `${EVENT_PROPS}${plan.dim.slice("props:".length)}` : plan.dim;
  const params: unknown[] = [site, plan.fdim, plan.fvalue, rowsDim, range.from, range.to];
  // Attribute rows store a missing value as ""; pages, events and properties are as sent.
  const attribute = !(plan.dim === "page" || plan.dim === "event" || plan.dim.startsWith("props:"));
  const value = plan.eventName !== null ? "(value::jsonb ->> 1)" : attribute ? "nullif(value, '')" : "value";
  const goal = plan.eventName !== null ? `and (r.value::jsonb ->> 0) = $${params.push(plan.eventName)}` : "";
  const parts = [
    `select ${value} as d0, visitors, visits, pageviews::float8 as pageviews, bounces::float8 as bounces, duration_ms::float8 as duration_ms, events::float8 as events
     from rollups_filtered r
     where r.site = $1 and r.fdim = $2 and r.fvalue = $3 and r.dim = $4 and r.day >= $5::date and r.day <= $6::date ${goal}
       and exists (select 1 from sealed_days s where s.site = r.site and s.day = r.day)`,
  ];
  for (const run of runs) {
    // visits-sql.ts numbers its own parameters from $1: shift them past ours.
    const s = visitsSql(site, "UTC", run, [plan.dim], filters);
    const offset = params.length;
    parts.push(s.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`));
    params.push(...s.params);
  }
  const text = `
    select d0, sum(visitors)::int as visitors, sum(visits)::int as visits, sum(pageviews)::float8 as pageviews,
           sum(bounces)::float8 as bounces, sum(duration_ms)::float8 as duration_ms, sum(events)::float8 as events
    from (${parts.join("\n union all \n")}) u
    group by d0 having sum(visits) > 0`;
  return { text, params, sealedDays: sealed.size };
}
