import type { Sql } from "../db/client.ts";
import { LOCKS } from "../db/locks.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { isUniqueViolation, orWhenNoTables, type AccountsDb, type Querier } from "./db.ts";
import { checkEmail, checkPassword, checkRole } from "./validate.ts";

export type Role = "admin" | "viewer";

export interface User {
  id: number;
  email: string;
  role: Role;
  createdAt: Date;
}

export interface UserWithProjects extends User {
  /** Viewer grants (admins read everything and have none). */
  projectIds: number[];
}

type Row = { id: string; email: string; role: Role; created_at: Date; password_hash?: string };
export const toUser = (r: Row): User => ({ id: Number(r.id), email: r.email, role: r.role, createdAt: r.created_at });

/** argon2id (Bun.password's default algorithm), with its default memory and time costs. */
export const hashPassword = (password: string) => Bun.password.hash(password, { algorithm: "argon2id" });

// Verifying against this when the email is unknown makes both failures take the same time.
let decoy: Promise<string> | null = null;

export async function anyUserExists(sql: Sql): Promise<boolean> {
  return orWhenNoTables(async () => (await sql`select 1 from users limit 1`).length > 0, false);
}

export async function createUser(db: AccountsDb, input: { email: unknown; password: unknown; role: unknown }): Promise<User> {
  const email = checkEmail(input.email);
  const role = checkRole(input.role);
  const password = checkPassword(input.password, email);
  await db.ensureSchema();
  try {
    const [row] = await db.sql<
      Row[]
    >`insert into users (email, password_hash, role) values (${email}, ${await hashPassword(password)}, ${role}) returning id, email, role, created_at`;
    return toUser(row!);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError(409, "duplicate_email", "email: a user with this email already exists");
    throw err;
  }
}

export async function listUsers(sql: Sql): Promise<UserWithProjects[]> {
  const rows = await orWhenNoTables(
    async () => [
      ...(await sql<(Row & { project_ids: string[] | null })[]>`
        select u.id, u.email, u.role, u.created_at,
               (select array_agg(m.project_id order by m.project_id) from project_members m where m.user_id = u.id) as project_ids
        from users u order by u.id`),
    ],
    [],
  );
  return rows.map((r) => ({ ...toUser(r), projectIds: (r.project_ids ?? []).map(Number) }));
}

/** A user by id or email (case-insensitive), or a 404. */
export async function getUser(sql: Sql, idOrEmail: string | number): Promise<User> {
  const byId = typeof idOrEmail === "number" || /^[0-9]{1,15}$/.test(idOrEmail);
  const rows = await orWhenNoTables(
    async () => [
      ...(byId
        ? await sql<Row[]>`select id, email, role, created_at from users where id = ${Number(idOrEmail)}`
        : await sql<Row[]>`select id, email, role, created_at from users where lower(email) = lower(${String(idOrEmail)})`),
    ],
    [],
  );
  if (!rows[0]) throw new AppError(404, "user_not_found", `user: no user with id or email "${String(idOrEmail).slice(0, 80)}"`);
  return toUser(rows[0]);
}

/** Deleting or demoting the last admin would lock everyone out of administration. */
async function assertNotLastAdmin(sql: Querier, user: User) {
  if (user.role !== "admin") return;
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from users where role = 'admin'`;
  if (row!.n <= 1) throw new AppError(409, "last_admin", "user: this is the only admin; create another admin first");
}

/** Deletes a user with their sessions, tokens and grants. */
export async function deleteUser(db: AccountsDb, idOrEmail: string | number): Promise<User> {
  const user = await getUser(db.sql, idOrEmail);
  await db.sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCKS.accounts})`; // serialises "is this the last admin?"
    await assertNotLastAdmin(tx, user);
    await tx`delete from users where id = ${user.id}`;
  });
  return user;
}

export async function setRole(db: AccountsDb, idOrEmail: string | number, role: unknown): Promise<User> {
  const user = await getUser(db.sql, idOrEmail);
  const next = checkRole(role);
  if (next === user.role) return user;
  await db.sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCKS.accounts})`;
    await assertNotLastAdmin(tx, user);
    await tx`update users set role = ${next} where id = ${user.id}`;
    if (next === "admin") await tx`delete from project_members where user_id = ${user.id}`;
    // A viewer's admin-scope tokens would outrank the role: they go.
    if (next === "viewer") await tx`update api_tokens set revoked_at = now() where user_id = ${user.id} and scope = 'admin' and revoked_at is null`;
  });
  return { ...user, role: next };
}

/** Sets a new password and ends every session of the user (a password change is a log-out everywhere). */
export async function setPassword(db: AccountsDb, idOrEmail: string | number, password: unknown): Promise<User> {
  const user = await getUser(db.sql, idOrEmail);
  const hash = await hashPassword(checkPassword(password, user.email));
  await db.sql.begin(async (tx) => {
    await tx`update users set password_hash = ${hash} where id = ${user.id}`;
    await tx`update user_sessions set revoked_at = now() where user_id = ${user.id} and revoked_at is null`;
  });
  return user;
}

/**
 * The user with this email and password, or null. An unknown email costs one argon2 verification
 * too, so neither the answer nor its timing says whether the email exists.
 */
export async function verifyCredentials(sql: Sql, email: string, password: string): Promise<User | null> {
  const rows = await orWhenNoTables(
    async () => [...(await sql<Row[]>`select id, email, role, created_at, password_hash from users where lower(email) = lower(${email.trim()})`)],
    [],
  );
  const row = rows[0];
  decoy ??= hashPassword(`decoy-${crypto.randomUUID()}`);
  const ok = await Bun.password.verify(password.slice(0, 256), row?.password_hash ?? (await decoy));
  return row && ok ? toUser(row) : null;
}

/**
 * First run: ADMIN_EMAIL/ADMIN_PASSWORD create the first admin when no user exists. An advisory
 * lock makes two instances starting together create one admin, not two.
 */
export async function ensureFirstAdmin(db: AccountsDb, first: { email: string; password: string } | null, log: Logger): Promise<User | null> {
  if (!first) return null;
  const email = checkEmail(first.email);
  const password = checkPassword(first.password, email);
  await db.ensureSchema();
  const hash = await hashPassword(password);
  const created = await db.sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCKS.accounts})`;
    if ((await tx`select 1 from users limit 1`).length > 0) return null;
    const [row] = await tx<Row[]>`insert into users (email, password_hash, role) values (${email}, ${hash}, 'admin') returning id, email, role, created_at`;
    return toUser(row!);
  });
  if (created) log.info("created the first admin from ADMIN_EMAIL", { userId: created.id });
  return created;
}

/** Viewer grants. */
export async function grantProject(db: AccountsDb, userIdOrEmail: string | number, projectId: number): Promise<void> {
  const user = await getUser(db.sql, userIdOrEmail);
  if (user.role === "admin") throw new AppError(422, "invalid_user", "user: admins read every project already; grants are for viewers");
  await db.sql`insert into project_members (project_id, user_id) values (${projectId}, ${user.id}) on conflict do nothing`;
}

export async function revokeProject(db: AccountsDb, userIdOrEmail: string | number, projectId: number): Promise<boolean> {
  const user = await getUser(db.sql, userIdOrEmail);
  const r = await db.sql`delete from project_members where project_id = ${projectId} and user_id = ${user.id}`;
  return r.count > 0;
}

export async function memberProjectIds(sql: Sql, userId: number): Promise<number[]> {
  const rows = await sql<{ project_id: string }[]>`select project_id from project_members where user_id = ${userId}`;
  return rows.map((r) => Number(r.project_id));
}
