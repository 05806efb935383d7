import { getTableColumns, getTableName } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Tx } from "../../db/client.ts";
import type { customEvents, pageviews } from "../../db/schema.ts";

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
 * Options for the projection's `sql.unsafe` statements: named (prepared) statements, as tagged
 * templates are. An unnamed statement with parameters makes postgres.js send Parse and Describe,
 * then wait for PostgreSQL's answer before it sends the parameters, and hold back every statement
 * queued behind it; that answer is read only when the event loop is free, so while the projection
 * works out visits the server sat idle (281 ms of a 10,000-event step at 10 M page views). A
 * prepared statement is described once per connection, after which its steps go out at once.
 * The statement texts are fixed per table and column set, so there are a handful per connection.
 */
export const PREPARED = { prepare: true } as const;

/** insertReturningTimes' statement for some rows, parameters built (null for no rows). */
export type InsertStatement = { text: string; params: never[] } | null;

/**
 * The statement insertReturningTimes runs, built ahead: the parameters are the costly part, and
 * a projection step can build the next batch's while PostgreSQL works on the current one.
 */
export function insertStatement(table: typeof pageviews | typeof customEvents, rows: Record<string, unknown>[]): InsertStatement {
  if (rows.length === 0) return null;
  const u = unnestRows(table, Object.keys(rows[0]!), rows);
  const text = `with r as (
       insert into ${getTableName(table)} (${u.names}) select * from ${u.from}
       on conflict (id) do nothing
       returning id, occurred_at)
     select coalesce(string_agg(r.id::text || ' ' || ((extract(epoch from r.occurred_at) * 1000)::float8)::text, ','), '') as rows from r`;
  return { text, params: u.params };
}

/**
 * `insertRecords` for the tables visits are built from, sending one typed array per column
 * (`unnest`: about a quarter cheaper for PostgreSQL than unpacking a JSON document). Returns,
 * for each row it inserted (a replayed id is not among them), its id and its time as PostgreSQL
 * stored them (the id in canonical form, the time in epoch milliseconds with whatever precision
 * it kept). The visits projection pairs them with the rows it sent: every other column it needs
 * is text or jsonb and comes back exactly as sent.
 */
export async function insertReturningTimes(sql: Tx, statement: InsertStatement): Promise<[id: string, at: number][]> {
  if (!statement) return [];
  const [r] = (await sql.unsafe(statement.text, statement.params, PREPARED).execute()) as unknown as [{ rows: string }];
  if (r.rows === "") return [];
  return r.rows.split(",").map((pair) => {
    const space = pair.indexOf(" ");
    return [pair.slice(0, space), Number(pair.slice(space + 1))];
  });
}

/**
 * Rows as one typed array parameter per column, for `select * from <from>` or `... from <from>
 * as x(<names>)`: `unnest($1::text[]::uuid[], $2::text[], ...)`. `firstParam` numbers the
 * parameters when the statement has others before them. Every value goes as its text (jsonb as
 * JSON), cast by PostgreSQL, and each column as one array literal built here (textArray).
 */
export function unnestRows(table: PgTable, columns: string[], rows: Record<string, unknown>[], firstParam = 1): { names: string; from: string; params: never[] } {
  const types = columnTypes(table);
  const params = columns.map((c) => {
    const type = types.get(c);
    if (!type) throw new Error(`${getTableName(table)} has no column ${c}`);
    return textArray(
      rows.map((r) => {
        const v = r[c];
        return v == null ? null : type === "jsonb" ? JSON.stringify(v) : String(v);
      }),
    );
  });
  const arrays = columns.map((c, i) => (types.get(c) === "text" ? `$${firstParam + i}::text[]` : `$${firstParam + i}::text[]::${types.get(c)}[]`));
  return { names: columns.map((c) => `"${c}"`).join(", "), from: `unnest(${arrays.join(", ")})`, params: params as never[] };
}

const NEEDS_ESCAPE = /[\\"]/g;
/** In JSON text, an escape other than `\"` and `\\` (a control character), which an array literal would read otherwise. */
const OTHER_ESCAPE = /\\[^"\\]/;
/**
 * A one-dimensional text[] literal, `{"a","b \"c\"",NULL}`: every element quoted, backslashes and
 * quotes escaped, null as NULL. Sent as a plain string and cast by PostgreSQL, far cheaper than the
 * driver's array serialiser (two escaping passes per element). JSON writes the same literal, bar
 * its brackets (and `null`, which an array literal reads as NULL too), unless a value holds a
 * control character; the native JSON.stringify is the fast path.
 */
export function textArray(values: (string | null)[]): string {
  const json = JSON.stringify(values);
  if (!OTHER_ESCAPE.test(json)) return `{${json.slice(1, -1)}}`;
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    parts[i] = v === null || v === undefined ? "NULL" : `"${v.replace(NEEDS_ESCAPE, "\\$&")}"`;
  }
  return `{${parts.join(",")}}`;
}

const typeCache = new Map<PgTable, Map<string, string>>();
/** Column name → its SQL type, from the drizzle table. */
function columnTypes(table: PgTable): Map<string, string> {
  let types = typeCache.get(table);
  if (!types) {
    types = new Map(Object.values(getTableColumns(table)).map((col) => [col.name, col.getSQLType()]));
    typeCache.set(table, types);
  }
  return types;
}
