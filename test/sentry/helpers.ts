import type postgres from "postgres";
import { createProject } from "../../src/accounts/projects.ts";
import type { TestApp } from "../support/app.ts";

export interface TestProject {
  id: number;
  key: string;
  dsn: (host: string) => string;
}

/** A real project with a real public key, made the way `bun run cli project create` makes one. */
export async function makeProject(t: TestApp, name: string, domains: string[] = []): Promise<TestProject> {
  const deps = t.runtime.deps;
  const p = await createProject({ sql: deps.database.sql, ensureSchema: deps.ensureSchema }, { name, domains }, { name: "Default key" });
  return { id: p.id, key: p.key, dsn: (host) => `http://${p.key}@${host}/${p.id}` };
}

/** Every row of every table (event_log included), as one string to search for leaks. */
export async function dumpAllTables(sql: postgres.Sql): Promise<string> {
  const tables = await sql<{ table_name: string }[]>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`;
  const out: string[] = [];
  for (const { table_name } of tables) {
    const rows = await sql.unsafe(`select * from "${table_name}"`);
    out.push(`${table_name}: ${JSON.stringify(rows)}`);
  }
  return out.join("\n");
}

export async function counts(sql: postgres.Sql, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) {
    const [{ t: exists }] = (await sql`select to_regclass(${"public." + t})::text as t`) as unknown as [{ t: string | null }];
    out[t] = exists ? Number(((await sql.unsafe(`select count(*)::int as n from ${t}`)) as unknown as [{ n: number }])[0].n) : 0;
  }
  return out;
}
