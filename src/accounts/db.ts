import type postgres from "postgres";
import type { Sql } from "../db/client.ts";

/** The pool or a transaction: helpers that write take either. */
export type Querier = Sql | postgres.TransactionSql;

/** What the accounts functions that write need: the pool and the lazy migration hook. */
export interface AccountsDb {
  sql: Sql;
  ensureSchema: () => Promise<void>;
}

/**
 * Tables are created lazily (the first event or the first account write does it). Until then
 * a read finds no table, which for accounts simply means "nothing registered yet".
 */
export async function orWhenNoTables<T>(query: () => Promise<T>, empty: T): Promise<T> {
  try {
    return await query();
  } catch (err) {
    if ((err as { code?: string }).code === "42P01") return empty;
    throw err;
  }
}

/** true when `err` is a unique-constraint violation (on `constraint`, when given). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint_name?: string };
  return e?.code === "23505" && (!constraint || e.constraint_name === constraint);
}

/** Per-pool caches, so two databases in one process (tests) never see each other's entries. */
export function perPool<T>(make: () => T): (sql: Sql) => T {
  const caches = new WeakMap<Sql, T>();
  return (sql) => {
    let c = caches.get(sql);
    if (!c) caches.set(sql, (c = make()));
    return c;
  };
}
