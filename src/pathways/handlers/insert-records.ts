import type { Tx } from "../../db/client.ts";

/**
 * `insert into <table> (<the rows' keys>) ... on conflict (id) do nothing`, with the rows sent as
 * one JSON parameter that Postgres turns into records of the table's own row type. One
 * JSON.stringify is much cheaper than binding thousands of parameters one by one, the statement
 * text does not depend on the number of rows, and there is no parameter limit to chunk around.
 * Columns the rows do not name (projected_at) get their defaults. Returns the rows inserted.
 */
export async function insertRecords(sql: Tx, table: "pageviews" | "custom_events" | "web_vitals", rows: Record<string, unknown>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = sql(Object.keys(rows[0]!));
  const r = await sql`
    insert into ${sql(table)} (${columns})
    select ${columns} from jsonb_populate_recordset(null::${sql(table)}, ${sql.json(rows as never)})
    on conflict (id) do nothing`;
  return r.count;
}
