import type postgres from "postgres";

export const VITAL_METRICS = ["lcp", "inp", "cls", "fcp", "ttfb", "dom_content_loaded", "load"] as const;
export type VitalMetric = (typeof VITAL_METRICS)[number];
export type VitalsDimension = "pathname" | "browser" | "device_type" | "os";

export interface VitalsQuery {
  site: string;
  from: Date;
  to: Date;
  /** Group by this column; omitted = one row for the whole site. */
  by?: VitalsDimension;
  /** 0.75 (the Web Vitals headline) unless told otherwise. */
  percentile?: number;
  /** Most measured groups first; at most this many. */
  limit?: number;
}

export type VitalsRow = { group: string | null; measurements: number } & Record<`${VitalMetric}_p`, number | null>;

/**
 * Percentiles of each Web Vital per page, browser, OS or device class (p75 by default, as the
 * Web Vitals thresholds are defined), from `web_vitals`. A metric no page load reported is null.
 * Until the stats API lists `lcp_p75` and friends, this is how the numbers are read.
 */
export async function vitalsPercentiles(sql: postgres.Sql, q: VitalsQuery): Promise<VitalsRow[]> {
  const p = q.percentile ?? 0.75;
  if (!(p > 0 && p < 1)) throw new RangeError("percentile must be between 0 and 1");
  const group = q.by ? sql(q.by) : sql`null::text`;
  const pct = (m: VitalMetric) => sql`percentile_cont(${p}) within group (order by ${sql(m)}) as ${sql(`${m}_p`)}`;
  const cols = VITAL_METRICS.map(pct);
  const list = cols.slice(1).reduce((acc, c) => sql`${acc}, ${c}`, cols[0]!);
  const rows = await sql<VitalsRow[]>`
    select ${group} as "group", count(*)::int as measurements, ${list}
    from web_vitals
    where site = ${q.site} and occurred_at >= ${q.from} and occurred_at < ${q.to}
    group by 1
    order by measurements desc, 1
    limit ${q.limit ?? 100}`;
  return rows;
}
