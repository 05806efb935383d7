import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { GROUP_STATUSES, type GroupStatus } from "./derive-status.ts";

export const GROUP_SORTS = { last_seen: "last_seen", first_seen: "first_seen", occurrences: "occurrences", affected_visitors: "affected_visitors" } as const;
export type GroupSort = keyof typeof GROUP_SORTS;

export interface GroupQuery {
  status?: GroupStatus[];
  release?: string;
  site?: string;
  sort?: GroupSort;
  order?: "asc" | "desc";
  limit?: number;
  offset?: number;
}

export interface GroupSummary {
  id: string;
  site: string;
  errorType: string;
  message: string;
  status: GroupStatus;
  firstSeen: string;
  lastSeen: string;
  occurrences: number;
  affectedVisitors: number;
  releases: string[];
  platforms: string[];
  statusChangedAt: string | null;
  regressedAt: string | null;
  regressedRelease: string | null;
}

const bad = (field: string, message: string) => new AppError(400, "invalid_query", `${field}: ${message}`);
export const MAX_LIMIT = 100;
const MAX_OFFSET = 100_000;

/** Checks the list's query string; every problem names its parameter. */
export function parseGroupQuery(q: Record<string, string | undefined>): GroupQuery {
  const out: GroupQuery = {};
  if (q.status) {
    const list = q.status.split(",").map((s) => s.trim());
    for (const s of list)
      if (!(GROUP_STATUSES as readonly string[]).includes(s)) throw bad("status", `one or more of ${GROUP_STATUSES.join(", ")} (comma-separated); got "${s.slice(0, 40)}"`);
    out.status = list as GroupStatus[];
  }
  if (q.release !== undefined) out.release = q.release.slice(0, 200);
  if (q.site !== undefined) out.site = q.site.toLowerCase().slice(0, 253);
  if (q.sort !== undefined) {
    if (!(q.sort in GROUP_SORTS)) throw bad("sort", `one of ${Object.keys(GROUP_SORTS).join(", ")}`);
    out.sort = q.sort as GroupSort;
  }
  if (q.order !== undefined) {
    if (q.order !== "asc" && q.order !== "desc") throw bad("order", "asc or desc");
    out.order = q.order;
  }
  const int = (name: "limit" | "offset", min: number, max: number) => {
    const v = q[name];
    if (v === undefined) return;
    if (!/^\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max) throw bad(name, `a whole number from ${min} to ${max}`);
    out[name] = Number(v);
  };
  int("limit", 1, MAX_LIMIT);
  int("offset", 0, MAX_OFFSET);
  return out;
}

/**
 * One page of crash groups. `sites` is what the reader may see (null: every site); a `site`
 * filter outside it is the caller's 403 to raise, not an empty page.
 */
export async function listGroups(sql: Sql, q: GroupQuery, sites: readonly string[] | null): Promise<{ groups: GroupSummary[]; total: number; limit: number; offset: number }> {
  const limit = q.limit ?? 25;
  const offset = q.offset ?? 0;
  const conds = [sql`true`];
  if (sites !== null) conds.push(sql`site = any(${sites as string[]}::text[])`);
  if (q.site !== undefined) conds.push(sql`site = ${q.site}`);
  if (q.status?.length) conds.push(sql`status = any(${q.status}::text[])`);
  if (q.release !== undefined) conds.push(sql`releases @> array[${q.release}]::text[]`);
  const where = conds.reduce((a, c) => sql`${a} and ${c}`);
  const column = sql(GROUP_SORTS[q.sort ?? "last_seen"]);
  const direction = q.order === "asc" ? sql`asc` : sql`desc`;
  const rows = await sql`
    select *, count(*) over ()::int as total from crash_groups where ${where}
    order by ${column} ${direction}, id limit ${limit} offset ${offset}`;
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && offset > 0) total = (await sql`select count(*)::int as n from crash_groups where ${where}`)[0]!.n;
  return { groups: rows.map(toSummary), total, limit, offset };
}

export function toSummary(r: Record<string, unknown>): GroupSummary {
  const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : null);
  return {
    id: r.id as string,
    site: r.site as string,
    errorType: r.error_type as string,
    message: r.message as string,
    status: r.status as GroupStatus,
    firstSeen: iso(r.first_seen)!,
    lastSeen: iso(r.last_seen)!,
    occurrences: r.occurrences as number,
    affectedVisitors: r.affected_visitors as number,
    releases: r.releases as string[],
    platforms: r.platforms as string[],
    statusChangedAt: iso(r.status_changed_at),
    regressedAt: iso(r.regressed_at),
    regressedRelease: (r.regressed_release as string | null) ?? null,
  };
}
