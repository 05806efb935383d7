import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { FEEDBACK_STATUSES, type FeedbackStatus } from "../pathways/contracts/feedback-status-changed.v0.ts";
import { FEEDBACK_CATEGORIES } from "./feedback-input.ts";

type Category = (typeof FEEDBACK_CATEGORIES)[number];

export interface FeedbackQuery {
  site?: string;
  /** A project's id or slug: its sites (resolved by the caller, who checks access). */
  project?: string;
  status?: FeedbackStatus[];
  category?: Category[];
  release?: string;
  limit?: number;
  offset?: number;
}

export interface FeedbackNote {
  id: string;
  body: string;
  /** The author's email, or null (a deleted account, a note from before accounts). */
  author: string | null;
  createdAt: string;
}

export interface FeedbackItem {
  id: string;
  site: string;
  projectId: number | null;
  category: Category;
  message: string;
  email: string | null;
  url: string | null;
  release: string | null;
  platform: string | null;
  environment: string | null;
  osVersion: string | null;
  device: Record<string, string | number | boolean> | null;
  associatedEventId: string | null;
  source: string;
  status: FeedbackStatus;
  statusChangedAt: string | null;
  occurredAt: string;
  /** Oldest first. */
  notes: FeedbackNote[];
}

export const FEEDBACK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_LIMIT = 100;
const MAX_OFFSET = 100_000;
const bad = (field: string, message: string) => new AppError(400, "invalid_query", `${field}: ${message}`);

/** Checks the list's query string; every problem names its parameter. */
export function parseFeedbackQuery(q: Record<string, string | undefined>): FeedbackQuery {
  const out: FeedbackQuery = {};
  const list = <T extends string>(name: "status" | "category", allowed: readonly T[]): T[] | undefined => {
    const v = q[name];
    if (!v) return undefined;
    const items = v.split(",").map((s) => s.trim());
    for (const s of items) if (!(allowed as readonly string[]).includes(s)) throw bad(name, `one or more of ${allowed.join(", ")} (comma-separated); got "${s.slice(0, 40)}"`);
    return items as T[];
  };
  out.status = list("status", FEEDBACK_STATUSES);
  out.category = list("category", FEEDBACK_CATEGORIES);
  if (q.site !== undefined && q.site !== "") out.site = q.site.toLowerCase().slice(0, 253);
  if (q.project !== undefined && q.project !== "") out.project = q.project.slice(0, 100);
  if (q.release !== undefined && q.release !== "") out.release = q.release.slice(0, 200);
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
 * One page of feedback, newest first. `sites` is what the reader may see (null: every site);
 * the caller checks a `site` or `project` filter against it and passes the project's sites.
 */
export async function listFeedback(
  sql: Sql,
  q: FeedbackQuery & { sites?: readonly string[] },
  readable: readonly string[] | null,
): Promise<{ feedback: FeedbackItem[]; total: number; limit: number; offset: number }> {
  const limit = q.limit ?? 25;
  const offset = q.offset ?? 0;
  const conds = [sql`true`];
  if (readable !== null) conds.push(sql`site = any(${readable as string[]}::text[])`);
  if (q.sites !== undefined) conds.push(sql`site = any(${q.sites as string[]}::text[])`);
  if (q.site !== undefined) conds.push(sql`site = ${q.site}`);
  if (q.status?.length) conds.push(sql`status = any(${q.status}::text[])`);
  if (q.category?.length) conds.push(sql`category = any(${q.category}::text[])`);
  if (q.release !== undefined) conds.push(sql`release = ${q.release}`);
  const where = conds.reduce((a, c) => sql`${a} and ${c}`);
  const rows = await sql`
    select *, count(*) over ()::int as total from feedback where ${where}
    order by occurred_at desc, id desc limit ${limit} offset ${offset}`;
  let total = (rows[0]?.total as number | undefined) ?? 0;
  if (rows.length === 0 && offset > 0) total = (await sql`select count(*)::int as n from feedback where ${where}`)[0]!.n;
  const notes = await notesFor(
    sql,
    rows.map((r) => r.id as string),
  );
  return { feedback: rows.map((r) => toItem(r, notes.get(r.id as string) ?? [])), total, limit, offset };
}

/** One feedback with its notes, or null. */
export async function findFeedback(sql: Sql, id: string): Promise<FeedbackItem | null> {
  if (!FEEDBACK_ID.test(id)) return null;
  const [row] = await sql`select * from feedback where id = ${id}`;
  if (!row) return null;
  return toItem(row, (await notesFor(sql, [id])).get(row.id as string) ?? []);
}

async function notesFor(sql: Sql, ids: string[]): Promise<Map<string, FeedbackNote[]>> {
  const out = new Map<string, FeedbackNote[]>();
  if (ids.length === 0) return out;
  const rows = await sql`
    select n.id, n.feedback_id, n.body, u.email as author, n.created_at
    from feedback_notes n left join users u on u.id = n.author_id
    where n.feedback_id = any(${ids}::uuid[])
    order by n.created_at, n.id`;
  for (const r of rows) {
    const list = out.get(r.feedback_id as string) ?? [];
    list.push({ id: r.id as string, body: r.body as string, author: (r.author as string | null) ?? null, createdAt: (r.created_at as Date).toISOString() });
    out.set(r.feedback_id as string, list);
  }
  return out;
}

function toItem(r: Record<string, unknown>, notes: FeedbackNote[]): FeedbackItem {
  const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : null);
  return {
    id: r.id as string,
    site: r.site as string,
    projectId: r.project_id === null ? null : Number(r.project_id),
    category: r.category as Category,
    message: r.message as string,
    email: (r.email as string | null) ?? null,
    url: (r.url as string | null) ?? null,
    release: (r.release as string | null) ?? null,
    platform: (r.platform as string | null) ?? null,
    environment: (r.environment as string | null) ?? null,
    osVersion: (r.os_version as string | null) ?? null,
    device: (r.device as FeedbackItem["device"]) ?? null,
    associatedEventId: (r.associated_event_id as string | null) ?? null,
    source: r.source as string,
    status: r.status as FeedbackStatus,
    statusChangedAt: iso(r.status_changed_at),
    occurredAt: iso(r.occurred_at)!,
    notes,
  };
}
