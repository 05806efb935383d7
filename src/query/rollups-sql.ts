import { and, dayLabel, Params, predicate } from "./sql-parts.ts";
import type { Filter, TimeDimension } from "./shape.ts";
import type { SqlStatement } from "./visits-sql.ts";

/**
 * The fast path: sums of `rollups_daily` rows (one per site, UTC day, dimension and value). Only
 * for queries the rollups answer exactly (plan.ts decides): whole UTC days, at most one
 * non-time dimension with filters on that dimension only, or no dimension and one single-value
 * `is` filter. Visitors add up over days because a visitor hash lives one UTC day.
 */
export function rollupsSql(
  site: string,
  range: { from: string; to: string },
  dim: string,
  timeDim: Exclude<TimeDimension, "time:hour"> | null,
  valueFilters: Filter[],
  grouped: boolean,
  /** For `event+props:<key>` rows (value `[name, value]`): the event name to keep. */
  eventName: string | null = null,
): SqlStatement {
  const p = new Params();
  const where = [`site = ${p.add(site)}`, `dim = ${p.add(dim)}`, `day >= ${p.add(range.from)}::date`, `day <= ${p.add(range.to)}::date`];
  const value = eventName === null ? "nullif(value, '')" : "(value::jsonb ->> 1)";
  if (eventName !== null) where.push(`(value::jsonb ->> 0) = ${p.add(eventName)}`);
  for (const f of valueFilters) where.push(predicate(f, value, p));
  const labels = [...(timeDim ? [dayLabel(timeDim, "day")] : []), ...(grouped ? [value] : [])];
  const text = `
    select ${labels.map((l, i) => `${l} as d${i}, `).join("")}coalesce(sum(visitors), 0)::int as visitors, coalesce(sum(visits), 0)::int as visits,
           coalesce(sum(pageviews), 0)::float8 as pageviews, coalesce(sum(bounces), 0)::float8 as bounces,
           coalesce(sum(duration_ms), 0)::float8 as duration_ms, coalesce(sum(events), 0)::float8 as events
    from rollups_daily where ${and(where)}
    ${labels.length ? `group by ${labels.map((_, i) => `d${i}`).join(", ")} having sum(visits) > 0` : ""}`;
  return { text, params: p.values };
}
