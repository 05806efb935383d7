import type { Sql } from "../db/client.ts";
import type { Filter, SessionMetric, TimeDimension } from "./shape.ts";
import { and, localStart, Params, predicate, timeLabel } from "./sql-parts.ts";

/** Release-health dimension → column of `release_health`. */
const SESSION_COLUMNS: Record<string, string> = {
  release: "r.release",
  environment: "r.environment",
};

export interface SessionGroupRow {
  dims: (string | null)[];
  /** In the query's metric order; `crash_free_rate` is null where no session started. */
  metrics: (number | null)[];
}

/**
 * Session counts and the crash-free rate per dimension, from the hourly `release_health` sums
 * (a session counts in the hour it started). Release health is kept per project: a query for any
 * of the project's sites (a domain or its slug) reads the project's sessions.
 */
export async function fetchSessionGroups(
  sql: Sql,
  site: string,
  tz: string,
  range: { from: string; to: string },
  dimensions: string[],
  filters: Filter[],
  metrics: SessionMetric[],
): Promise<SessionGroupRow[]> {
  const p = new Params();
  const tzP = p.add(tz);
  const siteP = p.add(site);
  const where = [
    `r.project_id in (select project_id from project_domains where domain = ${siteP} union all select id from projects where slug = ${siteP})`,
    `r.hour >= ${localStart(range.from, tzP, p)}`,
    `r.hour < (${p.add(range.to)}::date + 1)::timestamp at time zone ${tzP}`,
  ];
  for (const f of filters) where.push(predicate(f, SESSION_COLUMNS[f.dim]!, p));
  const labels = dimensions.map((d) => (d.startsWith("time:") ? timeLabel(d as TimeDimension, "r.hour", tzP) : SESSION_COLUMNS[d]!));
  const text = `
    select ${labels.map((l, i) => `${l} as d${i}, `).join("")}
      coalesce(sum(r.started), 0)::int as started, coalesce(sum(r.errored), 0)::int as errored,
      coalesce(sum(r.crashed), 0)::int as crashed, coalesce(sum(r.abnormal), 0)::int as abnormal
    from release_health r where ${and(where)}
    ${labels.length ? `group by ${labels.map((_, i) => `d${i}`).join(", ")}` : ""}`;
  const rows = (await sql.unsafe(text, p.values as never[]).catch((err) => {
    // No project or session yet on this database: the tables appear with the first ones.
    if ((err as { code?: string }).code === "42P01") return [];
    throw err;
  })) as unknown as Record<string, unknown>[];
  return rows.map((r) => {
    const counts = { started: Number(r.started), errored: Number(r.errored), crashed: Number(r.crashed), abnormal: Number(r.abnormal) };
    return { dims: dimensions.map((_, i) => (r[`d${i}`] ?? null) as string | null), metrics: metrics.map((m) => sessionMetricValue(m, counts)) };
  });
}

/**
 * sessions = sessions started; errored_sessions include the crashed and abnormal ones (as in
 * Sentry); crash_free_rate = 100 × (1 − crashed ÷ started), 2 decimals, within 0–100 (a session
 * that started before the range can end in it), null when no session started.
 */
export function sessionMetricValue(m: SessionMetric, c: { started: number; errored: number; crashed: number; abnormal: number }): number | null {
  switch (m) {
    case "sessions":
      return c.started;
    case "errored_sessions":
      return c.errored;
    case "crashed_sessions":
      return c.crashed;
    case "abnormal_sessions":
      return c.abnormal;
    case "crash_free_rate":
      return c.started > 0 ? Math.round(Math.min(100, Math.max(0, 100 * (1 - c.crashed / c.started))) * 100) / 100 : null;
  }
}

/** The value of a group in which nothing happened (an empty time bucket). */
export const emptySessionMetric = (m: SessionMetric): number | null => (m === "crash_free_rate" ? null : 0);
