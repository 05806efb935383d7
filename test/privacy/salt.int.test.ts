import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { lazyMigrator } from "../../src/db/migrate.ts";
import { derivedSaltStore, randomSaltStore, scheduleSaltRotation, type SaltStore } from "../../src/privacy/salt.ts";
import { hashVisitor } from "../../src/privacy/visitor-hash.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres.ts";
import { until } from "../support/wait.ts";

const IP = "198.51.100.23";
const UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15";
const at = (iso: string) => new Date(iso);

let db: TestDatabase;
let sql: postgres.Sql;
let store: SaltStore;
beforeAll(async () => {
  db = await createTestDatabase("salt");
  sql = postgres(db.url, { max: 4, onnotice: () => {} });
  store = randomSaltStore(sql, lazyMigrator(sql, db.url));
});
afterAll(async () => {
  await sql.end();
  await db.drop();
});

async function hash(s: SaltStore, when: string, site = "example.com", ip = IP, ua = UA) {
  return hashVisitor(await s.saltFor(at(when)), site, ip, ua);
}

describe("random daily salts", () => {
  test("same day, site, IP and UA → same hash; another site → another hash", async () => {
    const a = await hash(store, "2026-03-10T08:00:00Z");
    expect(await hash(store, "2026-03-10T20:30:00Z")).toBe(a);
    expect(await hash(store, "2026-03-10T20:30:00Z", "other.example")).not.toBe(a);
    expect(await hash(store, "2026-03-10T20:30:00Z", "example.com", "198.51.100.24")).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });

  test("the salt rotates at 00:00 UTC: one millisecond later the hash changes", async () => {
    const before = await hash(store, "2026-03-10T23:59:59.999Z");
    const after = await hash(store, "2026-03-11T00:00:00.000Z");
    expect(after).not.toBe(before);
    expect(await hash(store, "2026-03-11T13:00:00Z")).toBe(after);
  });

  test("every instance sharing the database agrees on the salt", async () => {
    const other = randomSaltStore(sql, lazyMigrator(sql, db.url));
    const results = await Promise.all([store, other, store, other].map((s) => hash(s, "2026-03-11T09:00:00Z")));
    expect(new Set(results).size).toBe(1);
  });

  test("only today's and yesterday's salts are kept: older ones are gone within 48 h", async () => {
    const salt11 = await store.saltFor(at("2026-03-11T09:00:00Z"));
    await store.rotate(at("2026-03-12T00:00:00Z"));
    let days = (await sql`select day::text from salts order by day`).map((r) => r.day);
    expect(days).toEqual(["2026-03-11", "2026-03-12"]);

    await store.rotate(at("2026-03-13T00:00:00Z"));
    days = (await sql`select day::text from salts order by day`).map((r) => r.day);
    expect(days).toEqual(["2026-03-12", "2026-03-13"]);
    // The 2026-03-11 salt was created on the 11th and deleted at 00:00 on the 13th: its bytes
    // exist nowhere in the database any more, so that day's hashes cannot be recomputed.
    const dump = await sql`select encode(salt, 'hex') as hex from salts`;
    expect(dump.map((r) => r.hex)).not.toContain(salt11.toString("hex"));
  });

  test("a day's salt is offered from memory once read, and only then", async () => {
    const fresh = randomSaltStore(sql, lazyMigrator(sql, db.url));
    const when = at("2026-03-15T08:00:00Z");
    expect(fresh.cached(when)).toBeNull();
    const salt = await fresh.saltFor(when);
    expect(fresh.cached(when)).toBe(salt);
    expect(fresh.cached(at("2026-03-16T08:00:00Z"))).toBeNull();
  });

  test("the first event of a new day also retires old salts (no midnight job needed)", async () => {
    await store.saltFor(at("2026-03-20T10:00:00Z"));
    const days = (await sql`select day::text from salts order by day`).map((r) => r.day);
    expect(days).toEqual(["2026-03-20"]);
  });

  test("the rotation scheduler runs rotate and reports the outcome", async () => {
    const outcomes: boolean[] = [];
    const clock = () => at("2026-03-21T00:00:01Z");
    const stop = scheduleSaltRotation(store, clock, (ok) => outcomes.push(ok));
    await until(() => outcomes.length > 0, "a rotation outcome", 5000, 5);
    stop();
    expect(outcomes).toEqual([true]);
    const days = (await sql`select day::text from salts order by day`).map((r) => r.day);
    expect(days).toEqual(["2026-03-20", "2026-03-21"]);
  });
});

describe("derived salts", () => {
  const key = "k".repeat(40);
  test("stateless and deterministic per day; HMAC of the key, not the date alone", async () => {
    const a = derivedSaltStore(key);
    const b = derivedSaltStore(key);
    expect(await hash(a, "2026-03-10T01:00:00Z")).toBe(await hash(b, "2026-03-10T23:00:00Z"));
    expect(await hash(a, "2026-03-11T00:00:00Z")).not.toBe(await hash(a, "2026-03-10T23:59:59Z"));
    expect(await hash(derivedSaltStore("z".repeat(40)), "2026-03-10T01:00:00Z")).not.toBe(await hash(a, "2026-03-10T01:00:00Z"));
  });
});
