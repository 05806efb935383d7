import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { fileURLToPath } from "node:url";
import type { Sql } from "./client.ts";
import { LOCKS } from "./locks.ts";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));

/**
 * Tables are created lazily: the first event (or the first read that needs a table) calls
 * `ensure()`, which applies the drizzle-kit migrations in drizzle/. Concurrent callers in this
 * process share one promise; other processes wait on a Postgres advisory lock, so two instances
 * racing on an empty database never both migrate. A failure (database down) is not remembered:
 * the next call tries again.
 */
export function lazyMigrator(sql: Sql, url: string) {
  let done = false;
  let running: Promise<void> | null = null;

  const ensure = async (): Promise<void> => {
    if (done) return;
    running ??= (async () => {
      // One connection: the advisory lock and the migration share a session.
      const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 3 });
      try {
        await client`select pg_advisory_lock(${LOCKS.migrate})`;
        await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
        await client`select pg_advisory_unlock(${LOCKS.migrate})`;
        done = true;
      } finally {
        await client.end({ timeout: 1 });
      }
    })().finally(() => {
      running = null;
    });
    return running;
  };

  /**
   * true when the tables exist (migrating to the latest version if needed), false on a database
   * that has never seen an event. Background loops use it so they never create tables themselves.
   */
  const ready = async (): Promise<boolean> => {
    if (done) return true;
    const [row] = await sql<{ t: string | null }[]>`select to_regclass('public.event_log')::text as t`;
    if (!row?.t) return false;
    await ensure();
    return true;
  };
  return { ensure, ready };
}
export type Migrator = ReturnType<typeof lazyMigrator>;
