import type postgres from "postgres";

/** Rows in `table`, or 0 while the table does not exist yet (tables appear with the first event). */
export async function countRows(sql: postgres.Sql, table: string, where = ""): Promise<number> {
  const [exists] = await sql`select to_regclass(${"public." + table})::text as t`;
  if (!exists?.t) return 0;
  const [r] = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${table}${where ? ` where ${where}` : ""}`);
  return r!.n;
}
