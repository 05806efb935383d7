import type { Sql } from "../db/client.ts";

export interface CrashFreeQuery {
  /** One of the two: the project's id, or a site (the project's site as events store it). */
  projectId?: number;
  site?: string;
  from: Date;
  /** Exclusive. */
  to: Date;
  environment?: string;
}

export interface ReleaseHealthRow {
  release: string;
  started: number;
  errored: number;
  crashed: number;
  abnormal: number;
  /** Share of started sessions that did not crash (0–1); null when none started. */
  crashFreeRate: number | null;
}

/**
 * Crash-free sessions rate per release over [from, to): 1 − crashed / started, summed from the
 * hourly `release_health` rows (a session belongs to the hour it started). The stats API calls
 * this; it reads only pre-aggregated counts. Releases with the most sessions come first.
 */
export async function crashFreeRate(sql: Sql, q: CrashFreeQuery): Promise<ReleaseHealthRow[]> {
  if ((q.projectId === undefined) === (q.site === undefined)) throw new Error("crashFreeRate: give exactly one of projectId or site");
  const exists = await sql`select to_regclass('public.release_health')::text as t`;
  if (!exists[0]?.t) return [];
  const scope = q.projectId !== undefined ? sql`project_id = ${q.projectId}` : sql`site = ${q.site!}`;
  const env = q.environment !== undefined ? sql`and environment = ${q.environment}` : sql``;
  const rows = await sql<{ release: string; started: number; errored: number; crashed: number; abnormal: number }[]>`
    select release, sum(started)::int as started, sum(errored)::int as errored,
           sum(crashed)::int as crashed, sum(abnormal)::int as abnormal
    from release_health
    where ${scope} and hour >= ${q.from} and hour < ${q.to} ${env}
    group by release
    order by sum(started) desc, release`;
  return rows.map((r) => ({ ...r, crashFreeRate: r.started > 0 ? Math.max(0, 1 - r.crashed / r.started) : null }));
}
