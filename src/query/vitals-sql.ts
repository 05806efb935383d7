import type { Sql } from "../db/client.ts";
import { and, localStart, Params, predicate, timeLabel } from "./sql-parts.ts";
import type { Filter, TimeDimension, VitalsMetric } from "./shape.ts";

/** Web Vitals dimension → column of `web_vitals`. */
export const VITALS_COLUMNS: Record<string, string> = {
  page: "v.pathname",
  browser: "v.browser",
  os: "v.os",
  device: "v.device_type",
};

/** `lcp_p75` → the 75th percentile of `lcp` (as the Web Vitals thresholds are defined). */
const METRIC_SQL: Record<VitalsMetric, string> = {
  lcp_p75: "percentile_cont(0.75) within group (order by v.lcp)",
  inp_p75: "percentile_cont(0.75) within group (order by v.inp)",
  cls_p75: "percentile_cont(0.75) within group (order by v.cls)",
  fcp_p75: "percentile_cont(0.75) within group (order by v.fcp)",
  ttfb_p75: "percentile_cont(0.75) within group (order by v.ttfb)",
  vitals_measurements: "count(*)",
};

export interface VitalsGroupRow {
  dims: (string | null)[];
  /** In the query's metric order; null when no page load in the group reported that metric. */
  metrics: (number | null)[];
}

/** p75 of each requested Web Vital per dimension, from `web_vitals` (raw rows: percentiles do not add up). */
export async function fetchVitalsGroups(
  sql: Sql,
  site: string,
  tz: string,
  range: { from: string; to: string },
  dimensions: string[],
  filters: Filter[],
  metrics: VitalsMetric[],
): Promise<VitalsGroupRow[]> {
  const p = new Params();
  const tzP = p.add(tz);
  const where = [`v.site = ${p.add(site)}`, `v.occurred_at >= ${localStart(range.from, tzP, p)}`, `v.occurred_at < (${p.add(range.to)}::date + 1)::timestamp at time zone ${tzP}`];
  for (const f of filters) where.push(predicate(f, VITALS_COLUMNS[f.dim]!, p));
  const labels = dimensions.map((d) => (d.startsWith("time:") ? timeLabel(d as TimeDimension, "v.occurred_at", tzP) : VITALS_COLUMNS[d]!));
  const text = `
    select ${labels.map((l, i) => `${l} as d${i}, `).join("")}${metrics.map((m, i) => `${METRIC_SQL[m]} as m${i}`).join(", ")}
    from web_vitals v where ${and(where)}
    ${labels.length ? `group by ${labels.map((_, i) => `d${i}`).join(", ")}` : ""}`;
  const rows = (await sql.unsafe(text, p.values as never[]).catch((err) => {
    // No page load measured yet on this database: the table appears with the first one.
    if ((err as { code?: string }).code === "42P01") return [];
    throw err;
  })) as unknown as Record<string, unknown>[];
  return rows.map((r) => ({
    dims: dimensions.map((_, i) => (r[`d${i}`] ?? null) as string | null),
    metrics: metrics.map((_, i) => (r[`m${i}`] === null || r[`m${i}`] === undefined ? null : round(Number(r[`m${i}`]), metrics[i] === "cls_p75" ? 3 : 0))),
  }));
}

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;
