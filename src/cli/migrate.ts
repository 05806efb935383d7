/**
 * `bun run db:migrate`: creates every table now, instead of when the first event arrives, so a
 * Grafana or Metabase board can be set up on an empty database. The app keeps creating tables
 * lazily by default; this applies the same drizzle migrations under the same advisory lock, so it
 * is safe to run any number of times, and next to a running server.
 */
import { ConfigError, parseConfig, type Config } from "../config.ts";
import type { Sql } from "../db/client.ts";
import { MIGRATIONS_FOLDER } from "../db/migrate.ts";
import { openDatabase } from "../db/open.ts";
import { createLogger, type Logger } from "../log.ts";

export interface MigrateReport {
  /** Where the tables live, without credentials. */
  target: string;
  /** Migrations applied by this run (their drizzle tags), in order. */
  applied: string[];
  /** Tables this run created. */
  created: string[];
  /** Every table in the public schema afterwards. */
  tables: string[];
}

/** Applies every pending migration to the configured database and says what changed. */
export async function migrateDatabase(config: Config, log: Logger): Promise<MigrateReport> {
  const db = await openDatabase(config, { log, role: "cli" });
  try {
    const sql = db.database.sql;
    const journal: { entries: { tag: string }[] } = await Bun.file(`${MIGRATIONS_FOLDER}/meta/_journal.json`).json();
    const [tablesBefore, doneBefore] = [await publicTables(sql), await appliedCount(sql)];
    await db.migrator.ensure();
    const [tables, doneAfter] = [await publicTables(sql), await appliedCount(sql)];
    return {
      target: db.embedded ? `embedded PostgreSQL on 127.0.0.1:${config.embeddedPgPort} (data in ${config.dataDir})` : describeUrl(config.databaseUrl!),
      applied: journal.entries.slice(doneBefore, doneAfter).map((e) => e.tag),
      created: tables.filter((t) => !tablesBefore.includes(t)),
      tables,
    };
  } finally {
    await db.close();
  }
}

async function publicTables(sql: Sql): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`select tablename as name from pg_tables where schemaname = 'public' order by tablename`;
  return rows.map((r) => r.name);
}

/** How many migrations drizzle has recorded (0 on a database it has never touched). */
async function appliedCount(sql: Sql): Promise<number> {
  const [row] = await sql<{ t: string | null }[]>`select to_regclass('drizzle.__drizzle_migrations')::text as t`;
  if (!row?.t) return 0;
  const [{ n }] = (await sql`select count(*)::int as n from drizzle.__drizzle_migrations`) as unknown as [{ n: number }];
  return n;
}

/** postgres://user:secret@host:5432/db → "PostgreSQL at host:5432/db" (never print the password). */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `PostgreSQL at ${u.hostname}${u.port ? ":" + u.port : ""}${u.pathname}`;
  } catch {
    return "PostgreSQL at DATABASE_URL";
  }
}

export function formatReport(r: MigrateReport): string {
  const lines = [`Database: ${r.target}`];
  if (r.applied.length === 0) lines.push(`Already up to date: nothing to do. ${r.tables.length} tables exist: ${r.tables.join(", ")}.`);
  else {
    lines.push(`Applied ${r.applied.length === 1 ? "1 migration" : `${r.applied.length} migrations`}: ${r.applied.join(", ")}.`);
    lines.push(r.created.length ? `Created ${r.created.length} tables: ${r.created.join(", ")}.` : "No new tables (existing tables were changed).");
  }
  return lines.join("\n");
}

if (import.meta.main) {
  let config: Config;
  try {
    config = parseConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
  // Internals only log problems; the command itself talks in plain lines.
  const log = createLogger(config.logLevel === "debug" ? "debug" : "warn", (line) => process.stderr.write(line + "\n"));
  migrateDatabase(config, log).then(
    (report) => {
      console.log(formatReport(report));
      process.exit(0);
    },
    (err: Error) => {
      console.error(`db:migrate failed: ${err.message}`);
      process.exit(1);
    },
  );
}
