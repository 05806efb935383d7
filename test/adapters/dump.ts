import type postgres from "postgres";

/** Every row of every table (the event log included) as one JSON text, to search for values that must never be stored. */
export async function dumpAllTables(sql: postgres.Sql): Promise<string> {
  const tables = await sql<{ name: string }[]>`select tablename as name from pg_tables where schemaname = 'public' order by 1`;
  const parts: string[] = [];
  for (const { name } of tables) {
    const [r] = await sql.unsafe<{ rows: unknown }[]>(`select coalesce(json_agg(t), '[]'::json)::text as rows from "${name}" t`);
    parts.push(`${name}: ${r!.rows}`);
  }
  return parts.join("\n");
}
