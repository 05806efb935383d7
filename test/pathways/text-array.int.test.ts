import { afterAll, beforeAll, expect, test } from "bun:test";
import { connectDatabase, type Database } from "../../src/db/client.ts";
import { textArray } from "../../src/pathways/handlers/insert-records.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres.ts";

let db: TestDatabase;
let database: Database;
beforeAll(async () => {
  db = await createTestDatabase("text_array");
  database = connectDatabase(db.url, { max: 1 });
});
afterAll(async () => {
  await database.close();
  await db.drop();
});

test("textArray literals come back from PostgreSQL element for element", async () => {
  const tricky = ["plain", "", " padded ", 'say "hi"', "back\\slash", '\\"', "a,b", "{braces}", "NULL", "null", null, "ünïcødé ✓", "tab\tnew\nline", "'quote'", "\\\\"];
  const random = Array.from({ length: 300 }, (_, i) => (i % 17 === 0 ? null : Array.from({ length: i % 9 }, (_, j) => String.fromCharCode(32 + ((i * 31 + j * 7) % 95))).join("")));
  for (const values of [tricky, random, [], [null]]) {
    const [r] = await database.sql.unsafe("select coalesce(array_to_json($1::text[]), '[]') as back", [textArray(values) as never]);
    expect(r!.back).toEqual(values);
  }
});
