/**
 * `bun run db:migrate` as a user runs it (a child process): every table exists afterwards (the
 * same set the lazy path creates at the first event), it says what it did, a second run changes
 * nothing, and the app then ingests into the tables it made.
 */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { lazyMigrator } from "../../src/db/migrate.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase, TEST_PG_PORT, type TestDatabase } from "../support/postgres.ts";

setDefaultTimeout(60_000);
const ROOT = join(import.meta.dir, "..", "..");
const journal: { entries: { tag: string }[] } = await Bun.file(join(ROOT, "drizzle/meta/_journal.json")).json();
const tags = journal.entries.map((e) => e.tag);
const applied = `Applied ${tags.length === 1 ? "1 migration" : `${tags.length} migrations`}: ${tags.join(", ")}.`;
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

async function dbMigrate(env: Record<string, string>) {
  const proc = Bun.spawn(["bun", "run", "db:migrate"], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "warn", ...env }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

async function tablesOf(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await sql<{ t: string }[]>`select tablename as t from pg_tables where schemaname = 'public' order by 1`).map((r) => r.t);
  } finally {
    await sql.end();
  }
}

async function freshDatabase(label: string): Promise<TestDatabase> {
  const db = await createTestDatabase(label);
  cleanup.push(() => db.drop());
  return db;
}

describe("bun run db:migrate", () => {
  test("against DATABASE_URL: creates every table, says so, and a second run changes nothing", async () => {
    const db = await freshDatabase("migrate");
    expect(await tablesOf(db.url)).toEqual([]);

    // What the lazy path creates at the first event is the reference set.
    const lazy = await freshDatabase("lazy");
    const sql = postgres(lazy.url, { max: 1, onnotice: () => {} });
    await lazyMigrator(sql, lazy.url).ensure();
    await sql.end();
    const expected = await tablesOf(lazy.url);
    expect(expected).toContain("pageviews");

    const first = await dbMigrate({ DATABASE_URL: db.url });
    expect(first.stderr.replace("$ bun run src/cli/migrate.ts", "").trim()).toBe(""); // bun echoes the script
    expect(first.code).toBe(0);
    expect(await tablesOf(db.url)).toEqual(expected);
    expect(first.stdout).toContain(`Database: PostgreSQL at 127.0.0.1:${new URL(db.url).port}/${db.name}`);
    expect(first.stdout).toContain(applied);
    expect(first.stdout).toContain(`Created ${expected.length} tables: ${expected.join(", ")}.`);
    expect(first.stdout).not.toContain(new URL(db.url).password || "\u0000"); // no credentials printed

    const second = await dbMigrate({ DATABASE_URL: db.url });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`Already up to date: nothing to do. ${expected.length} tables exist`);
    expect(await tablesOf(db.url)).toEqual(expected);

    // The app works on tables it did not create itself.
    const t = await startTestApp({ db: { ...db, drop: async () => {} } });
    try {
      const res = await t.post("/api/pageview", { site: "example.com", pathname: "/after-migrate" });
      expect(res.status).toBe(202);
      expect(await t.waitForRows("pageviews", 1)).toBe(1);
    } finally {
      await t.stop();
    }
  });

  test("with no DATABASE_URL: creates the tables in the embedded server and stops it again", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "analytics-migrate-"));
    cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const port = String(TEST_PG_PORT + 61); // next to this run's test server, away from other runs
    const run = await dbMigrate({ DATABASE_URL: "", DATA_DIR: dataDir, EMBEDDED_PG_PORT: port });
    // stderr alongside, so a failure says why (a port taken, the server not starting).
    expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(run.stdout).toContain(`Database: embedded PostgreSQL on 127.0.0.1:${port} (data in ${dataDir})`);
    expect(run.stdout).toContain(applied);
    expect(run.stdout).toMatch(/Created \d+ tables: .*pageviews/);
    // The command started the server, so it stopped it: nothing listens on the port any more.
    const open = await fetch(`http://127.0.0.1:${port}`).then(
      () => true,
      (e: Error) => !/refused|ECONNREFUSED|Unable to connect/i.test(e.message),
    );
    expect(open).toBe(false);
  });
});
