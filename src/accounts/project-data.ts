import type { Sql } from "../db/client.ts";
import { PROJECTION_TABLES } from "../pathways/registry.ts";
import { orWhenNoTables, type AccountsDb, type Querier } from "./db.ts";
import { forgetProjectCache, getProject, projectSites, type Project } from "./projects.ts";

/** Rows of a project's data per table (projection tables with a `site` column, and the event log). */
export type DataCounts = Record<string, number>;

/**
 * Projection tables holding per-site data, in an order where deleting never breaks a foreign key:
 * tables another one references (crash_groups, referenced by crashes) come last.
 */
async function siteTables(sql: Querier): Promise<string[]> {
  const tables: string[] = [...PROJECTION_TABLES];
  const rows = await sql<{ table_name: string }[]>`
    select table_name from information_schema.columns
    where table_schema = current_schema() and column_name = 'site' and table_name in ${sql(tables)}`;
  const referenced = await sql<{ t: string }[]>`
    select distinct confrelid::regclass::text as t from pg_constraint
    where contype = 'f' and conrelid::regclass::text in ${sql(tables)} and confrelid <> conrelid`;
  const have = new Set(rows.map((r) => r.table_name));
  const last = new Set(referenced.map((r) => r.t));
  return tables.filter((t) => have.has(t)).sort((a, b) => Number(last.has(a)) - Number(last.has(b)));
}

async function hasEventLog(sql: Querier): Promise<boolean> {
  const [row] = await sql<{ t: string | null }[]>`select to_regclass('event_log')::text as t`;
  return Boolean(row?.t);
}

/** How much data deleting the project would remove. */
export async function projectDataCounts(sql: Sql, project: Project): Promise<DataCounts> {
  const sites = projectSites(project);
  const counts: DataCounts = {};
  for (const table of await siteTables(sql)) {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from ${sql(table)} where site in ${sql(sites)}`;
    counts[table] = row!.n;
  }
  if (await hasEventLog(sql)) {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from event_log where payload->>'site' in ${sql(sites)}`;
    counts.event_log = row!.n;
  }
  return counts;
}

/**
 * Deletes a project, its keys, share links and grants, and its data: the projected rows and the
 * events in the local event log, so a replay cannot bring them back. One transaction: either all
 * of it is gone or nothing is. (In Flowcore mode Flowcore keeps its own copy of the events.)
 */
export async function deleteProject(db: AccountsDb, idOrSlug: string | number): Promise<{ project: Project; deleted: DataCounts }> {
  const project = await getProject(db.sql, idOrSlug);
  const sites = projectSites(project);
  const deleted: DataCounts = {};
  await db.sql.begin(async (tx) => {
    // Alerts (they quote the error) and triage decisions are keyed by crash group, not projected
    // per site: they go first, while the groups still say which site they belong to.
    const [found] = await tx<{ alerts: string | null; triage: string | null }[]>`
      select to_regclass('crash_alerts')::text as alerts, to_regclass('crash_group_triage')::text as triage`;
    const { alerts, triage } = found!;
    if (alerts) deleted.crash_alerts = (await tx`delete from crash_alerts where site in ${tx(sites)}`).count;
    if (triage) {
      deleted.crash_group_triage = (await tx`delete from crash_group_triage where group_id in (select id from crash_groups where site in ${tx(sites)})`).count;
    }
    for (const table of await siteTables(tx)) {
      const r = await tx`delete from ${tx(table)} where site in ${tx(sites)}`;
      deleted[table] = r.count;
    }
    if (await hasEventLog(tx)) {
      const r = await tx`delete from event_log where payload->>'site' in ${tx(sites)}`;
      deleted.event_log = r.count;
    }
    await tx`delete from projects where id = ${project.id}`;
  });
  forgetProjectCache(db.sql);
  return { project, deleted };
}

/** Sites that have data but belong to no project (zero-config traffic), with their page views. */
export async function unregisteredSites(sql: Sql, limit = 100): Promise<{ site: string; pageviews: number }[]> {
  return orWhenNoTables(
    async () => [
      ...(await sql<{ site: string; pageviews: number }[]>`
        select site, count(*)::int as pageviews from pageviews
        where site not in (select domain from project_domains) and site not in (select slug from projects)
        group by site order by 2 desc limit ${limit}`),
    ],
    [],
  );
}
