import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { authenticateIngestKey, createKey, ingestKeyFrom, listKeys, revokeKey } from "../../src/accounts/keys.ts";
import { deleteProject, projectDataCounts } from "../../src/accounts/project-data.ts";
import { createProject, findProject, listProjects, projectForSite, siteForProject, updateProject } from "../../src/accounts/projects.ts";
import type { AccountsDb } from "../../src/accounts/db.ts";
import { lazyMigrator } from "../../src/db/migrate.ts";
import { AppError } from "../../src/errors.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres.ts";

let tdb: TestDatabase;
let db: AccountsDb;
let sql: postgres.Sql;

beforeAll(async () => {
  tdb = await createTestDatabase("projects");
  sql = postgres(tdb.url, { max: 4, onnotice: () => {} });
  db = { sql, ensureSchema: lazyMigrator(sql, tdb.url).ensure };
});
afterAll(async () => {
  await sql.end({ timeout: 1 });
  await tdb.drop();
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("before any table exists", () => {
  test("reads answer 'nothing registered' instead of failing", async () => {
    expect(await listProjects(sql)).toEqual([]);
    expect(await projectForSite(sql, "example.com")).toBeNull();
    expect(await findProject(sql, 1)).toBeNull();
    expect((await rejection(authenticateIngestKey(sql, "pk_x_0123456789abcdef"))).status).toBe(401);
  });
});

describe("projects", () => {
  test("create: numeric id, slug from the name, normalised domains, canonical time zone", async () => {
    const p = await createProject(db, { name: "Example Shop", domains: ["https://www.Example.com/", "shop.example.com"], timezone: "europe/copenhagen" });
    expect(p.id).toBeGreaterThan(0);
    expect(p.slug).toBe("example-shop");
    expect(p.domains).toEqual(["example.com", "shop.example.com"]);
    expect(p.timezone).toBe("Europe/Copenhagen");
    expect(siteForProject(p)).toBe("example.com");
    expect((await projectForSite(sql, "shop.example.com"))?.id).toBe(p.id);
    expect((await projectForSite(sql, "example-shop"))?.id).toBe(p.id);
    expect(await projectForSite(sql, "other.org")).toBeNull();
    // A second project with the same name gets the next free slug.
    const q = await createProject(db, { name: "Example Shop" });
    expect(q.slug).toBe("example-shop-2");
    expect(siteForProject(q)).toBe("example-shop-2");
  });

  test("bad input is a 4xx naming the field, and nothing is written", async () => {
    const before = (await listProjects(sql)).length;
    const cases: [Parameters<typeof createProject>[1], number, string][] = [
      [{ name: "" }, 422, "name:"],
      [{ name: "x", slug: "Bad Slug" }, 422, "slug:"],
      [{ name: "x", timezone: "Mars/Olympus" }, 422, "timezone:"],
      [{ name: "x", domains: ["not a host!"] }, 422, "domains[0]:"],
      [{ name: "x", domains: ["example.com"] }, 409, "domains:"],
      [{ name: "x", slug: "example-shop" }, 409, "slug:"],
    ];
    for (const [input, status, field] of cases) {
      const err = await rejection(createProject(db, input));
      expect(err.status).toBe(status);
      expect(err.message.startsWith(field)).toBe(true);
    }
    expect((await listProjects(sql)).length).toBe(before);
  });

  test("update replaces domains; a domain of another project is refused", async () => {
    const p = await createProject(db, { name: "Blog", domains: ["blog.test"] });
    const u = await updateProject(db, p.id, { domains: ["blog.test", "www.blog2.test"], name: "The blog" });
    expect(u.domains).toEqual(["blog.test", "blog2.test"]);
    expect(u.name).toBe("The blog");
    expect((await rejection(updateProject(db, p.id, { domains: ["example.com"] }))).status).toBe(409);
    expect((await findProject(sql, p.slug))?.domains).toEqual(["blog.test", "blog2.test"]);
  });
});

describe("keys", () => {
  test("lifecycle: create, authenticate, list without the key, revoke → 401", async () => {
    const p = await createProject(db, { name: "Mobile App" });
    const { key, record } = await createKey(db, p.id, { name: "iOS" });
    expect(key).toMatch(/^pk_mobile_app_[0-9a-f]{16}$/);
    expect(record.prefix).toBe(`${key.slice(0, "pk_mobile_app_".length + 4)}…`);
    expect((await authenticateIngestKey(sql, key)).id).toBe(p.id);
    const listed = await listKeys(sql, p.id);
    expect(listed.map((k) => k.name)).toEqual(["iOS"]);
    expect(JSON.stringify(listed)).not.toContain(key);
    await revokeKey(db, record.id);
    expect((await rejection(authenticateIngestKey(sql, key))).code).toBe("invalid_key");
    expect((await rejection(authenticateIngestKey(sql, "pk_mobile_app_ffffffffffffffff"))).code).toBe("invalid_key");
  });

  test("last used is recorded", async () => {
    const p = await createProject(db, { name: "Used" });
    const { key, record } = await createKey(db, p.id);
    await authenticateIngestKey(sql, key);
    const deadline = Date.now() + 5000;
    let used: Date | null = null;
    while (!used && Date.now() < deadline) {
      used = (await listKeys(sql, p.id)).find((k) => k.id === record.id)!.lastUsedAt;
      if (!used) await Bun.sleep(20);
    }
    expect(used).toBeInstanceOf(Date);
  });

  test("import: a chosen key works; a duplicate or malformed one is refused", async () => {
    const legacy = "legacy_key_from_other_system_123";
    const p = await createProject(db, { name: "Imported" }, { key: legacy });
    expect((await authenticateIngestKey(sql, legacy)).slug).toBe("imported");
    const dup = await rejection(createKey(db, p.id, { key: legacy }));
    expect([dup.status, dup.code]).toEqual([409, "duplicate_key"]);
    expect(dup.message).not.toContain(legacy);
    expect((await rejection(createKey(db, p.id, { key: "short" }))).status).toBe(422);
    // A project whose key clashes is not created at all.
    const before = (await listProjects(sql)).length;
    expect((await rejection(createProject(db, { name: "Clash", domains: ["clash.test"] }, { key: legacy }))).status).toBe(409);
    expect((await listProjects(sql)).length).toBe(before);
    expect(await projectForSite(sql, "clash.test")).toBeNull();
  });

  test("the key comes from X-API-Key or Authorization: Bearer pk_…", () => {
    expect(ingestKeyFrom(new Headers({ "x-api-key": "pk_a_1" }))).toBe("pk_a_1");
    expect(ingestKeyFrom(new Headers({ authorization: "Bearer pk_a_2" }))).toBe("pk_a_2");
    expect(ingestKeyFrom(new Headers({ authorization: "Bearer pat_xyz" }))).toBeNull();
    expect(ingestKeyFrom(new Headers())).toBeNull();
  });
});

describe("deleting a project", () => {
  test("says how much data it has, then deletes it with its keys; other sites keep theirs", async () => {
    await db.ensureSchema();
    const p = await createProject(db, { name: "Doomed", domains: ["doomed.test"] });
    const { key } = await createKey(db, p.id);
    const row = (site: string) => ({ id: crypto.randomUUID(), site, pathname: "/", device_type: "desktop", visitor_hash: "h", occurred_at: new Date() });
    await sql`insert into pageviews ${sql([row("doomed.test"), row("doomed.test"), row("doomed"), row("kept.test")])}`;
    expect((await projectDataCounts(sql, p)).pageviews).toBe(3);
    const { deleted } = await deleteProject(db, p.id);
    expect(deleted.pageviews).toBe(3);
    expect(await findProject(sql, p.id)).toBeNull();
    expect((await rejection(authenticateIngestKey(sql, key))).status).toBe(401);
    const rows = await sql<{ n: number }[]>`select count(*)::int as n from pageviews where site = 'kept.test'`;
    expect(rows[0]?.n).toBe(1);
  });
});
