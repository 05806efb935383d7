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

/**
 * `insertRecords` for the tables visits are built from: returns, for each row it inserted (a
 * replayed id is not among them), its id and time as PostgreSQL stored them (the id in canonical
 * form, the time in epoch milliseconds with whatever precision it kept), all in one small JSON
 * document. The visits projection pairs them with the rows it sent: every other column it needs
 * is text or jsonb and comes back exactly as sent.
 */
export async function insertReturningTimes(sql: Tx, table: "pageviews" | "custom_events", rows: Record<string, unknown>[]): Promise<[id: string, at: number][]> {
  if (rows.length === 0) return [];
  // The column names are the table's own (row-mapper.ts), quoted; the rows go as one parameter.
  const columns = Object.keys(rows[0]!)
    .map((c) => `"${c.replaceAll('"', '""')}"`)
    .join(", ");
  const [r] = (await sql.unsafe(
    `with r as (
       insert into ${table} (${columns})
       select ${columns} from jsonb_populate_recordset(null::${table}, $1::jsonb)
       on conflict (id) do nothing
       returning id, occurred_at)
     select coalesce(json_agg(json_build_array(r.id::text, (extract(epoch from r.occurred_at) * 1000)::float8)), '[]') as rows from r`,
    [sql.json(rows as never) as never],
  )) as unknown as [{ rows: [string, number][] }];
  return r.rows;
}
