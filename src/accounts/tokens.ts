import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { orWhenNoTables, perPool, type AccountsDb } from "./db.ts";
import { randomToken, sha256Hex } from "./secrets.ts";
import { toUser, type User } from "./users.ts";
import { checkName, checkScope } from "./validate.ts";

/** API tokens: `pat_` + 32 random bytes, shown once, stored as SHA-256 with a display prefix. */
export type Scope = "read" | "admin";

export interface TokenRecord {
  id: number;
  userId: number;
  name: string;
  scope: Scope;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

type Row = { id: string; user_id: string; name: string; scope: Scope; display_prefix: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null };
const toToken = (r: Row): TokenRecord => ({
  id: Number(r.id),
  userId: Number(r.user_id),
  name: r.name,
  scope: r.scope,
  prefix: r.display_prefix,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export const TOKEN_PREFIX = "pat_";

/** A viewer's token can only read: a token never outranks its user. */
export async function createToken(db: AccountsDb, user: User, input: { name: unknown; scope?: unknown }): Promise<{ token: string; record: TokenRecord }> {
  const name = checkName(input.name);
  const scope = input.scope === undefined ? "read" : checkScope(input.scope);
  if (scope === "admin" && user.role !== "admin") throw new AppError(403, "forbidden", "scope: only admins can create admin tokens");
  const token = TOKEN_PREFIX + randomToken(32);
  const [row] = await db.sql<Row[]>`
    insert into api_tokens (user_id, name, scope, token_hash, display_prefix)
    values (${user.id}, ${name}, ${scope}, ${sha256Hex(token)}, ${token.slice(0, TOKEN_PREFIX.length + 6) + "…"}) returning *`;
  return { token, record: toToken(row!) };
}

/** Tokens of one user, or of everyone when `userId` is undefined (admin view). */
export async function listTokens(sql: Sql, userId?: number): Promise<TokenRecord[]> {
  const rows = await orWhenNoTables(
    async () => [
      ...(userId === undefined ? await sql<Row[]>`select * from api_tokens order by id` : await sql<Row[]>`select * from api_tokens where user_id = ${userId} order by id`),
    ],
    [] as Row[],
  );
  return rows.map(toToken);
}

/** Revokes a token (idempotent); with `userId`, only one of that user's. */
export async function revokeToken(db: AccountsDb, tokenId: number, userId?: number): Promise<TokenRecord> {
  const [row] = await orWhenNoTables(
    async () => [
      ...(await db.sql<Row[]>`
        update api_tokens set revoked_at = coalesce(revoked_at, now())
        where id = ${tokenId} and (${userId ?? null}::bigint is null or user_id = ${userId ?? null}) returning *`),
    ],
    [] as Row[],
  );
  if (!row) throw new AppError(404, "token_not_found", `token: no token with id ${tokenId}`);
  return toToken(row);
}

const lastUsedWrites = perPool(() => new Map<number, number>());

/** The live token and its user, or null. last_used_at is written at most once a minute. */
export async function tokenFromBearer(sql: Sql, raw: string): Promise<{ token: TokenRecord; user: User } | null> {
  if (!raw.startsWith(TOKEN_PREFIX)) return null;
  const rows = await orWhenNoTables(
    async () => [
      ...(await sql<(Row & { email: string; role: User["role"]; user_created_at: Date })[]>`
        select t.*, u.email, u.role, u.created_at as user_created_at
        from api_tokens t join users u on u.id = t.user_id
        where t.token_hash = ${sha256Hex(raw)} and t.revoked_at is null`),
    ],
    [],
  );
  const r = rows[0];
  if (!r) return null;
  const writes = lastUsedWrites(sql);
  const id = Number(r.id);
  if (Date.now() - (writes.get(id) ?? 0) > 60_000) {
    writes.set(id, Date.now());
    await sql`update api_tokens set last_used_at = now() where id = ${id}`;
  }
  return { token: toToken(r), user: toUser({ id: r.user_id, email: r.email, role: r.role, created_at: r.user_created_at }) };
}
