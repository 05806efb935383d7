import type { Sql } from "../db/client.ts";
import { isValidTimeZone } from "./date-range.ts";

const CACHE_MS = 60_000;

/**
 * The time zone a site's dates are read in: its project's (accounts), UTC for a site without a
 * project. Cached for a minute per site; a zone PostgreSQL or Intl would not know falls back to UTC.
 */
export function siteTimeZone(lookup: (site: string) => Promise<{ timezone: string } | null>) {
  const cache = new Map<string, { at: number; tz: string }>();
  return async (site: string): Promise<string> => {
    const hit = cache.get(site);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.tz;
    const tz = (await lookup(site))?.timezone ?? "UTC";
    const valid = isValidTimeZone(tz) ? tz : "UTC";
    if (cache.size > 10_000) cache.clear();
    cache.set(site, { at: Date.now(), tz: valid });
    return valid;
  };
}

/** Reads the project tables directly while they may not exist yet (no accounts, no migration). */
export function projectTimeZoneLookup(sql: Sql) {
  return async (site: string): Promise<{ timezone: string } | null> => {
    const [t] = await sql`select to_regclass('public.projects')::text as p, to_regclass('public.project_domains')::text as d`;
    if (!t?.p || !t?.d) return null;
    const [r] = await sql`
      select p.timezone from projects p
      where p.id = coalesce((select project_id from project_domains where domain = ${site}), (select id from projects where slug = ${site}))`;
    return r ? { timezone: r.timezone as string } : null;
  };
}
