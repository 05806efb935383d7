import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { isUniqueViolation, type Querier, orWhenNoTables, perPool, type AccountsDb } from "./db.ts";
import { getProject, type ProjectRef } from "./projects.ts";
import { randomHex, sha256Hex } from "./secrets.ts";
import { checkName } from "./validate.ts";

/**
 * Public ingest keys: `pk_<slug>_<16 hex>` (seed 002). They ship inside apps, so they are not
 * secret, but they are stored like credentials anyway: SHA-256 plus a display prefix.
 */
export interface KeyRecord {
  id: number;
  projectId: number;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

type Row = { id: string; project_id: string; name: string; display_prefix: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null };
const toKey = (r: Row): KeyRecord => ({
  id: Number(r.id),
  projectId: Number(r.project_id),
  name: r.name,
  prefix: r.display_prefix,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export const IMPORTED_KEY_RULE = "16–200 printable ASCII characters without spaces";

/** `pk_my_app_a1b2…`: enough to tell keys apart in a list, far too little to use. */
export function displayPrefix(key: string): string {
  const m = /^(pk_[a-z0-9_-]+_)([0-9a-f]{16})$/.exec(key);
  return m ? `${m[1]}${m[2]!.slice(0, 4)}…` : `${key.slice(0, Math.min(8, Math.floor(key.length / 4)))}…`;
}

/**
 * `pk_<slug>_<16 hex>`, with the slug's hyphens written as underscores: Sentry SDKs accept only
 * word characters in a DSN's key, and the key is the DSN's user part.
 */
export function generateKey(slug: string): string {
  return `pk_${slug.replaceAll("-", "_")}_${randomHex(8)}`;
}

/** Creates a key for a project; `key` imports one an app already ships with. Returns it once. */
export async function createKey(db: AccountsDb, projectIdOrSlug: string | number, opts: { name?: string; key?: string } = {}): Promise<{ key: string; record: KeyRecord }> {
  const project = await getProject(db.sql, projectIdOrSlug);
  return insertKey(db.sql, project, opts);
}

/** Inserts a key in `sql` (a pool or a transaction). Checks the name and an imported key first. */
export async function insertKey(sql: Querier, project: { id: number; slug: string }, opts: { name?: string; key?: string }): Promise<{ key: string; record: KeyRecord }> {
  const name = opts.name === undefined ? "Default key" : checkName(opts.name);
  checkImportedKey(opts.key);
  const key = opts.key ?? generateKey(project.slug);
  try {
    const [row] = await sql<Row[]>`
      insert into project_keys (project_id, name, key_hash, display_prefix)
      values (${project.id}, ${name}, ${sha256Hex(key)}, ${displayPrefix(key)}) returning *`;
    return { key, record: toKey(row!) };
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError(409, "duplicate_key", "key: this key is already registered (keys are unique across projects)");
    throw err;
  }
}

export function checkImportedKey(key: string | undefined): void {
  if (key !== undefined && !/^[\x21-\x7e]{16,200}$/.test(key)) {
    throw new AppError(422, "invalid_key_format", `key: an imported key must be ${IMPORTED_KEY_RULE}`);
  }
}

export async function listKeys(sql: Sql, projectId?: number): Promise<KeyRecord[]> {
  const rows = await orWhenNoTables(
    async () => [
      ...(projectId === undefined
        ? await sql<Row[]>`select * from project_keys order by id`
        : await sql<Row[]>`select * from project_keys where project_id = ${projectId} order by id`),
    ],
    [] as Row[],
  );
  return rows.map(toKey);
}

/** Revokes a key (idempotent). `projectId`, when given, must own it. */
export async function revokeKey(db: AccountsDb, keyId: number, projectId?: number): Promise<KeyRecord> {
  const [row] = await orWhenNoTables(
    async () => [
      ...(await db.sql<Row[]>`
        update project_keys set revoked_at = coalesce(revoked_at, now())
        where id = ${keyId} and (${projectId ?? null}::bigint is null or project_id = ${projectId ?? null}) returning *`),
    ],
    [] as Row[],
  );
  if (!row) throw new AppError(404, "key_not_found", `key: no key with id ${keyId}${projectId ? ` in project ${projectId}` : ""}`);
  forgetKeyCache(db.sql);
  return toKey(row);
}

// A key is checked on every keyed request. Answers are kept briefly per pool (a revocation here
// clears them; one made by another process is seen within KEY_CACHE_MS), and last_used_at is
// written at most once a minute per key.
const KEY_CACHE_MS = 5_000;
const LAST_USED_EVERY_MS = 60_000;
const keyCache = perPool(() => new Map<string, { at: number; keyId: number; project: ProjectRef } | { at: number; keyId: null }>());
const lastUsedWrites = perPool(() => new Map<number, number>());

/** Drops remembered key answers (after a revocation, a project change or a deletion here). */
export function forgetKeyCache(sql: Sql): void {
  keyCache(sql).clear();
}

/**
 * The project a raw key belongs to. Unknown and revoked keys are the same 401, so a response
 * never says which keys once existed.
 */
export async function authenticateIngestKey(sql: Sql, rawKey: string): Promise<ProjectRef> {
  const hash = sha256Hex(rawKey);
  const cache = keyCache(sql);
  let hit = cache.get(hash);
  if (!hit || Date.now() - hit.at >= KEY_CACHE_MS) {
    const rows = await orWhenNoTables(
      async () => [
        ...(await sql<{ key_id: string; id: string; slug: string; name: string; timezone: string; domains: string[] | null }[]>`
          select k.id as key_id, p.id, p.slug, p.name, p.timezone,
                 (select array_agg(d.domain order by d.position, d.domain) from project_domains d where d.project_id = p.id) as domains
          from project_keys k join projects p on p.id = k.project_id
          where k.key_hash = ${hash} and k.revoked_at is null`),
      ],
      [],
    );
    const r = rows[0];
    hit = r
      ? { at: Date.now(), keyId: Number(r.key_id), project: { id: Number(r.id), slug: r.slug, name: r.name, timezone: r.timezone, domains: r.domains ?? [] } }
      : { at: Date.now(), keyId: null };
    if (cache.size > 10_000) cache.clear();
    cache.set(hash, hit);
  }
  if (hit.keyId === null) throw new AppError(401, "invalid_key", "the API key is unknown or revoked");
  touchKey(sql, hit.keyId);
  return hit.project;
}

function touchKey(sql: Sql, keyId: number) {
  const writes = lastUsedWrites(sql);
  const now = Date.now();
  if (now - (writes.get(keyId) ?? 0) < LAST_USED_EVERY_MS) return;
  writes.set(keyId, now);
  // Fire and forget: a lost update only makes "last used" a minute older.
  sql`update project_keys set last_used_at = now() where id = ${keyId}`.catch(() => writes.delete(keyId));
}

/**
 * The ingest key a request carries: `X-API-Key: <key>`, or `Authorization: Bearer pk_…`
 * (a bearer value without the pk_ prefix is some other credential and not ours to judge).
 */
export function ingestKeyFrom(headers: Headers): string | null {
  const x = headers.get("x-api-key")?.trim();
  if (x) return x;
  const auth = headers.get("authorization") ?? "";
  const m = /^bearer\s+(pk_\S+)$/i.exec(auth.trim());
  return m ? m[1]! : null;
}
