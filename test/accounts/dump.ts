import type postgres from "postgres";

/** Every row of every table in the database as one string, to search for secrets in clear. */
export async function dumpEveryTable(sql: postgres.Sql): Promise<{ tables: string[]; text: string }> {
  const tables = (await sql<{ tablename: string }[]>`select tablename from pg_tables where schemaname = 'public' order by 1`).map((t) => t.tablename);
  let text = "";
  for (const table of tables) text += JSON.stringify(await sql.unsafe(`select * from "${table}"`));
  return { tables, text };
}
