import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { orWhenNoTables, type AccountsDb } from "./db.ts";
import { getProject } from "./projects.ts";
import { randomToken, sha256Hex } from "./secrets.ts";
import { hashPassword } from "./users.ts";
import { checkName, checkPassword } from "./validate.ts";

/**
 * Share links: a read-only view of one project for people without an account. The slug is 128
 * random bits (unguessable), shown once and stored hashed; an optional password (argon2id) is
 * exchanged once for a share session cookie.
 */
export const SHARE_SESSION_DAYS = 7;

export interface ShareRecord {
  id: number;
  projectId: number;
  name: string;
  prefix: string;
  hasPassword: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

type Row = {
  id: string;
  project_id: string;
  name: string;
  display_prefix: string;
  password_hash: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
};
const toShare = (r: Row): ShareRecord => ({
  id: Number(r.id),
  projectId: Number(r.project_id),
  name: r.name,
  prefix: r.display_prefix,
  hasPassword: r.password_hash !== null,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export async function createShare(
  db: AccountsDb,
  projectIdOrSlug: string | number,
  input: { name?: unknown; password?: unknown } = {},
): Promise<{ slug: string; record: ShareRecord }> {
  const project = await getProject(db.sql, projectIdOrSlug);
  const name = input.name === undefined || input.name === null ? "Share link" : checkName(input.name);
  const password = input.password === undefined || input.password === null || input.password === "" ? null : checkPassword(input.password);
  const slug = randomToken(16);
  const [row] = await db.sql<Row[]>`
    insert into share_links (project_id, name, slug_hash, display_prefix, password_hash)
    values (${project.id}, ${name}, ${sha256Hex(slug)}, ${slug.slice(0, 4) + "…"}, ${password ? await hashPassword(password) : null}) returning *`;
  return { slug, record: toShare(row!) };
}

export async function listShares(sql: Sql, projectId?: number): Promise<ShareRecord[]> {
  const rows = await orWhenNoTables(
    async () => [
      ...(projectId === undefined
        ? await sql<Row[]>`select * from share_links order by id`
        : await sql<Row[]>`select * from share_links where project_id = ${projectId} order by id`),
    ],
    [] as Row[],
  );
  return rows.map(toShare);
}

/** Revokes a link and ends the sessions unlocked with its password. */
export async function revokeShare(db: AccountsDb, shareId: number, projectId?: number): Promise<ShareRecord> {
  const row = await orWhenNoTables(
    () =>
      db.sql.begin(async (tx) => {
        const [r] = await tx<Row[]>`
      update share_links set revoked_at = coalesce(revoked_at, now())
      where id = ${shareId} and (${projectId ?? null}::bigint is null or project_id = ${projectId ?? null}) returning *`;
        if (r) await tx`delete from share_sessions where share_link_id = ${shareId}`;
        return r;
      }),
    undefined,
  );
  if (!row) throw new AppError(404, "share_not_found", `share: no share link with id ${shareId}`);
  return toShare(row);
}

async function liveLink(sql: Sql, slug: string): Promise<Row | null> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(slug)) return null;
  const rows = await orWhenNoTables(async () => [...(await sql<Row[]>`select * from share_links where slug_hash = ${sha256Hex(slug)} and revoked_at is null`)], []);
  return rows[0] ?? null;
}

async function touch(sql: Sql, r: Row) {
  if (!r.last_used_at || Date.now() - r.last_used_at.getTime() > 60_000) await sql`update share_links set last_used_at = now() where id = ${r.id}`;
}

/** A live link by its slug: `open` when it needs no password, `locked` when it does. */
export async function shareFromSlug(sql: Sql, slug: string): Promise<{ status: "open" | "locked"; share: ShareRecord } | null> {
  const r = await liveLink(sql, slug);
  if (!r) return null;
  if (r.password_hash === null) await touch(sql, r);
  return { status: r.password_hash === null ? "open" : "locked", share: toShare(r) };
}

/** Exchanges a link's slug and password for a share session token; null when either is wrong. */
export async function unlockShare(db: AccountsDb, slug: string, password: string, now: Date): Promise<{ token: string; share: ShareRecord } | null> {
  const r = await liveLink(db.sql, slug);
  const ok = r?.password_hash ? await Bun.password.verify(password.slice(0, 256), r.password_hash) : false;
  if (!r || !ok) return null;
  await touch(db.sql, r);
  const token = randomToken(32);
  await db.sql`delete from share_sessions where expires_at < ${now}`;
  await db.sql`insert into share_sessions (token_hash, share_link_id, expires_at) values (${sha256Hex(token)}, ${r.id}, ${new Date(now.getTime() + SHARE_SESSION_DAYS * 86_400_000)})`;
  return { token, share: toShare(r) };
}

/** The live link a share session token belongs to, or null. */
export async function shareFromSessionToken(sql: Sql, token: string, now: Date): Promise<ShareRecord | null> {
  const rows = await orWhenNoTables(
    async () => [
      ...(await sql<Row[]>`
        select l.* from share_sessions s join share_links l on l.id = s.share_link_id
        where s.token_hash = ${sha256Hex(token)} and s.expires_at > ${now} and l.revoked_at is null`),
    ],
    [],
  );
  return rows[0] ? toShare(rows[0]) : null;
}
