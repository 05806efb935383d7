import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { checkImportedKey, forgetKeyCache, insertKey } from "./keys.ts";
import { isUniqueViolation, type Querier, orWhenNoTables, perPool, type AccountsDb } from "./db.ts";
import { checkDomains, checkName, checkSettings, checkSlug, checkTimezone, slugFrom } from "./validate.ts";

/** What the rest of the code needs to know about a project. */
export interface ProjectRef {
  id: number;
  slug: string;
  name: string;
  domains: string[];
  timezone: string;
}

export interface Project extends ProjectRef {
  settings: Record<string, unknown>;
  createdAt: Date;
}

export interface ProjectInput {
  name: string;
  slug?: string;
  domains?: string[];
  timezone?: string;
  settings?: Record<string, unknown>;
}

type Row = { id: string | number; slug: string; name: string; timezone: string; settings: Record<string, unknown>; created_at: Date; domains: string[] | null };

const toProject = (r: Row): Project => ({
  id: Number(r.id),
  slug: r.slug,
  name: r.name,
  domains: r.domains ?? [],
  timezone: r.timezone,
  settings: r.settings ?? {},
  createdAt: r.created_at,
});

const toRef = (p: Project): ProjectRef => ({ id: p.id, slug: p.slug, name: p.name, domains: p.domains, timezone: p.timezone });

const selectProjects = (sql: Sql) => sql`
  select p.*, (select array_agg(d.domain order by d.position, d.domain) from project_domains d where d.project_id = p.id) as domains
  from projects p`;

/**
 * The `site` events of a project are stored under when the request names no page host (an app
 * or a server sending with a key): its first domain, else its slug.
 */
export function siteForProject(p: ProjectRef): string {
  return p.domains[0] ?? p.slug;
}

/** Every site a project owns: its domains and its slug (where keyed events without a host go). */
export function projectSites(p: ProjectRef): string[] {
  return [...p.domains, p.slug];
}

// Ingest asks "whose site is this?" per event; answers are kept briefly per pool and dropped on
// any local change, so another process's change is seen within SITE_CACHE_MS.
const SITE_CACHE_MS = 5_000;
const siteCache = perPool(() => new Map<string, { at: number; project: ProjectRef | null }>());
export function forgetProjectCache(sql: Sql): void {
  siteCache(sql).clear();
  forgetKeyCache(sql); // a key's answer carries its project's domains
}

export async function listProjects(sql: Sql): Promise<Project[]> {
  const rows = await orWhenNoTables(async () => (await sql<Row[]>`${selectProjects(sql)} order by p.id`) as Row[], []);
  return rows.map(toProject);
}

/** A project by numeric id or slug, or null. */
export async function findProject(sql: Sql, idOrSlug: string | number): Promise<Project | null> {
  const asId = typeof idOrSlug === "number" ? idOrSlug : /^[0-9]{1,15}$/.test(idOrSlug) ? Number(idOrSlug) : null;
  const rows = await orWhenNoTables(
    async () =>
      (asId !== null ? await sql<Row[]>`${selectProjects(sql)} where p.id = ${asId}` : await sql<Row[]>`${selectProjects(sql)} where p.slug = ${String(idOrSlug)}`) as Row[],
    [],
  );
  return rows[0] ? toProject(rows[0]) : null;
}

/** Like findProject, but a missing project is a 404 naming what was asked for. */
export async function getProject(sql: Sql, idOrSlug: string | number): Promise<Project> {
  const p = await findProject(sql, idOrSlug);
  if (!p) throw new AppError(404, "project_not_found", `project: no project with id or slug "${String(idOrSlug).slice(0, 60)}"`);
  return p;
}

/** The project that owns `site` (as a domain, or as its slug), or null for an unregistered site. */
export async function projectForSite(sql: Sql, site: string): Promise<ProjectRef | null> {
  const cache = siteCache(sql);
  const hit = cache.get(site);
  if (hit && Date.now() - hit.at < SITE_CACHE_MS) return hit.project;
  const rows = await orWhenNoTables(
    async () =>
      (await sql<Row[]>`${selectProjects(sql)}
        where p.id = coalesce((select project_id from project_domains where domain = ${site}), (select id from projects where slug = ${site}))`) as Row[],
    [],
  );
  const project = rows[0] ? toRef(toProject(rows[0])) : null;
  if (cache.size > 10_000) cache.clear();
  cache.set(site, { at: Date.now(), project });
  return project;
}

/**
 * Creates a project, and with `withKey` its first public key, in one transaction: a clash on the
 * slug, a domain or the key leaves nothing behind.
 */
export async function createProject(db: AccountsDb, input: ProjectInput): Promise<Project>;
export async function createProject(db: AccountsDb, input: ProjectInput, withKey: { name?: string; key?: string }): Promise<Project & { key: string }>;
export async function createProject(db: AccountsDb, input: ProjectInput, withKey?: { name?: string; key?: string }): Promise<Project & { key?: string }> {
  const name = checkName(input.name);
  const explicitSlug = input.slug !== undefined && input.slug !== null;
  const slug = explicitSlug ? checkSlug(input.slug) : slugFrom(name);
  const domains = checkDomains(input.domains);
  const timezone = input.timezone === undefined ? "UTC" : checkTimezone(input.timezone);
  const settings = checkSettings(input.settings);
  if (withKey) checkImportedKey(withKey.key);
  await db.ensureSchema();
  try {
    let key: string | undefined;
    const id = await db.sql.begin(async (tx) => {
      // A derived slug takes the first free "-2", "-3"… suffix; a chosen one must be free.
      let chosen = slug;
      if (!explicitSlug) {
        const taken = new Set((await tx<{ slug: string }[]>`select slug from projects where slug = ${slug} or slug like ${slug + "-%"}`).map((r) => r.slug));
        for (let n = 2; taken.has(chosen); n++) chosen = `${slug}-${n}`;
      }
      await assertSitesFree(tx, domains, chosen, null);
      const [row] = await tx<
        { id: string }[]
      >`insert into projects (slug, name, timezone, settings) values (${chosen}, ${name}, ${timezone}, ${tx.json(settings as never)}) returning id`;
      await insertDomains(tx, Number(row!.id), domains);
      if (withKey) key = (await insertKey(tx, { id: Number(row!.id), slug: chosen }, withKey)).key;
      return Number(row!.id);
    });
    forgetProjectCache(db.sql);
    return { ...(await findProject(db.sql, id))!, ...(key ? { key } : {}) };
  } catch (err) {
    throw conflictError(err);
  }
}

export async function updateProject(db: AccountsDb, idOrSlug: string | number, patch: Partial<Omit<ProjectInput, "slug">>): Promise<Project> {
  const current = await getProject(db.sql, idOrSlug);
  const name = patch.name === undefined ? current.name : checkName(patch.name);
  const domains = patch.domains === undefined ? current.domains : checkDomains(patch.domains);
  const timezone = patch.timezone === undefined ? current.timezone : checkTimezone(patch.timezone);
  const settings = patch.settings === undefined ? current.settings : checkSettings(patch.settings);
  try {
    await db.sql.begin(async (tx) => {
      await assertSitesFree(tx, domains, null, current.id);
      await tx`update projects set name = ${name}, timezone = ${timezone}, settings = ${tx.json(settings as never)} where id = ${current.id}`;
      await tx`delete from project_domains where project_id = ${current.id}`;
      await insertDomains(tx, current.id, domains);
    });
  } catch (err) {
    throw conflictError(err);
  }
  forgetProjectCache(db.sql);
  return (await findProject(db.sql, current.id))!;
}

async function insertDomains(tx: Querier, projectId: number, domains: string[]) {
  for (const [position, domain] of domains.entries()) {
    await tx`insert into project_domains (domain, project_id, position) values (${domain}, ${projectId}, ${position})`;
  }
}

/** A site belongs to one project: no domain or slug may equal another project's domain or slug. */
async function assertSitesFree(tx: Querier, domains: string[], slug: string | null, self: number | null) {
  const sites = slug ? [...domains, slug] : domains;
  if (sites.length === 0) return;
  const clash = await tx<{ site: string; slug: string }[]>`
    select d.domain as site, p.slug from project_domains d join projects p on p.id = d.project_id
      where d.domain in ${tx(sites)} and p.id is distinct from ${self}
    union all
    select p.slug as site, p.slug from projects p where p.slug in ${tx(sites)} and p.id is distinct from ${self}`;
  const c = clash[0];
  if (!c) return;
  if (c.site === slug && !domains.includes(c.site)) throw new AppError(409, "duplicate_slug", `slug: "${c.site}" is already used by project "${c.slug}"`);
  throw new AppError(409, "duplicate_domain", `domains: "${c.site}" already belongs to project "${c.slug}"`);
}

function conflictError(err: unknown): unknown {
  if (isUniqueViolation(err, "projects_slug_unique")) return new AppError(409, "duplicate_slug", "slug: another project already uses this slug");
  if (isUniqueViolation(err, "project_domains_pkey")) return new AppError(409, "duplicate_domain", "domains: a domain already belongs to another project");
  return err;
}
