import type { Tx } from "../../db/client.ts";
import type { SessionsCounted } from "../contracts/release-health.v0.ts";

/**
 * Projects session counts: each event is kept in `session_counts` (keyed by its ingest id) and
 * only the rows inserted now are added to the hourly `release_health` sums, so redelivery,
 * replay and backfill never count a session twice. Must run inside a transaction.
 */
export async function projectReleaseHealth(sql: Tx, events: SessionsCounted[]): Promise<number> {
  if (events.length === 0) return 0;
  const rows = events.map((e) => ({
    id: e.ingestId,
    project_id: e.projectId,
    site: e.site,
    release: e.release,
    environment: e.environment,
    hour: new Date(e.hour),
    started: e.started,
    errored: e.errored,
    crashed: e.crashed,
    abnormal: e.abnormal,
  }));
  const r = await sql`
    with ins as (
      insert into session_counts ${sql(rows)} on conflict (id) do nothing
      returning project_id, site, release, environment, hour, started, errored, crashed, abnormal
    ),
    agg as (
      select project_id, release, environment, hour, max(site) as site,
             sum(started)::int as started, sum(errored)::int as errored,
             sum(crashed)::int as crashed, sum(abnormal)::int as abnormal, count(*)::int as n
      from ins group by project_id, release, environment, hour
    )
    insert into release_health (project_id, release, environment, hour, site, started, errored, crashed, abnormal)
    select project_id, release, environment, hour, site, started, errored, crashed, abnormal from agg
    on conflict (project_id, release, environment, hour) do update set
      site = excluded.site,
      started = release_health.started + excluded.started,
      errored = release_health.errored + excluded.errored,
      crashed = release_health.crashed + excluded.crashed,
      abnormal = release_health.abnormal + excluded.abnormal
    returning (select coalesce(sum(n), 0)::int from agg) as n`;
  return (r[0]?.n as number | undefined) ?? 0;
}
