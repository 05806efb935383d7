import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { orWhenNoTables, type AccountsDb } from "./db.ts";
import { randomToken, sha256Hex } from "./secrets.ts";
import { toUser, type User } from "./users.ts";

/** Server-side sessions: the cookie carries 32 random bytes, the table their SHA-256. */
export const SESSION_DAYS = 30;
const DAY_MS = 86_400_000;
const TOUCH_EVERY_MS = 60_000;

export interface SessionRecord {
  id: number;
  userId: number;
  client: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

type Row = { id: string; user_id: string; client: string | null; created_at: Date; last_seen_at: Date; expires_at: Date };
const toSession = (r: Row): SessionRecord => ({
  id: Number(r.id),
  userId: Number(r.user_id),
  client: r.client,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
});

export async function createSession(db: AccountsDb, userId: number, client: string | null, now: Date): Promise<{ token: string; session: SessionRecord }> {
  const token = randomToken(32);
  const expires = new Date(now.getTime() + SESSION_DAYS * DAY_MS);
  const [row] = await db.sql<Row[]>`
    insert into user_sessions (user_id, token_hash, client, created_at, last_seen_at, expires_at)
    values (${userId}, ${sha256Hex(token)}, ${client}, ${now}, ${now}, ${expires}) returning *`;
  // Housekeeping on the rare write path: ended sessions are kept a day for the list, then go.
  await db.sql`delete from user_sessions where expires_at < ${new Date(now.getTime() - DAY_MS)} or revoked_at < ${new Date(now.getTime() - DAY_MS)}`;
  return { token, session: toSession(row!) };
}

/** The live session and user a cookie token belongs to, or null (unknown, revoked, expired). */
export async function sessionFromToken(sql: Sql, token: string, now: Date): Promise<{ session: SessionRecord; user: User } | null> {
  const rows = await orWhenNoTables(
    async () => [
      ...(await sql<(Row & { email: string; role: User["role"]; user_created_at: Date })[]>`
        select s.*, u.email, u.role, u.created_at as user_created_at
        from user_sessions s join users u on u.id = s.user_id
        where s.token_hash = ${sha256Hex(token)} and s.revoked_at is null and s.expires_at > ${now}`),
    ],
    [],
  );
  const r = rows[0];
  if (!r) return null;
  if (now.getTime() - r.last_seen_at.getTime() > TOUCH_EVERY_MS) {
    await sql`update user_sessions set last_seen_at = ${now} where id = ${r.id}`;
    r.last_seen_at = now;
  }
  return { session: toSession(r), user: toUser({ id: r.user_id, email: r.email, role: r.role, created_at: r.user_created_at }) };
}

/** The user's live sessions, newest first. */
export async function listSessions(sql: Sql, userId: number, now: Date): Promise<SessionRecord[]> {
  const rows = await sql<Row[]>`select * from user_sessions where user_id = ${userId} and revoked_at is null and expires_at > ${now} order by last_seen_at desc, id desc`;
  return rows.map(toSession);
}

/** Ends one session of the user (logout, or "sign out that device"). */
export async function revokeSession(db: AccountsDb, userId: number, sessionId: number): Promise<void> {
  const r = await db.sql`update user_sessions set revoked_at = now() where id = ${sessionId} and user_id = ${userId} and revoked_at is null`;
  if (r.count === 0) throw new AppError(404, "session_not_found", `session: no live session with id ${sessionId}`);
}
