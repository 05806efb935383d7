import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { authenticateReader } from "../../src/accounts/reader.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { dumpEveryTable } from "./dump.ts";
import { client } from "./http-client.ts";

/**
 * Who may read and change what: admin vs viewer, API token scopes, share links. Every secret
 * the tests see is collected, and the last test dumps every table looking for any of them.
 */
const ADMIN = { email: "root@example.com", password: "admin password 1" };
const VIEWER = { email: "viewer@example.com", password: "viewer password 1" };
const secrets: string[] = [ADMIN.password, VIEWER.password];
let t: TestApp;
let admin: ReturnType<typeof client>;
let shop: { id: number; slug: string };
let blog: { id: number; slug: string };

const reader = (headers: Record<string, string>, path = "/") => authenticateReader(t.runtime.deps, new Request(`http://localhost${path}`, { headers }));

beforeAll(async () => {
  t = await startTestApp({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } });
  admin = client(t.app);
  expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(200);
  secrets.push(admin.cookies.pa_session!);
  const a = await admin.post("/api/admin/projects", { name: "Shop", domains: ["shop.example"], timezone: "Europe/Berlin" });
  const b = await admin.post("/api/admin/projects", { name: "Blog", domains: ["blog.example"] });
  expect([a.status, b.status]).toEqual([201, 201]);
  secrets.push(a.body.key, b.body.key);
  shop = a.body.project;
  blog = b.body.project;
  const v = await admin.post("/api/admin/users", { ...VIEWER, role: "viewer", projectIds: [shop.id] });
  expect(v.status).toBe(201);
});
afterAll(() => t.stop());

describe("admin API", () => {
  test("projects, keys, share links and users round-trip; bad input names the field", async () => {
    const got = await admin.get(`/api/admin/projects/${shop.slug}`);
    expect(got.body.project).toMatchObject({ name: "Shop", domains: ["shop.example"], timezone: "Europe/Berlin" });
    expect(got.body.keys).toHaveLength(1);
    const key = await admin.post(`/api/admin/projects/${shop.id}/keys`, { name: "backend" });
    expect(key.status).toBe(201);
    secrets.push(key.body.key);
    const revoked = await admin.del(`/api/admin/projects/${shop.id}/keys/${key.body.record.id}`);
    expect(revoked.body.key.revokedAt).not.toBeNull();
    expect((await admin.del(`/api/admin/projects/${blog.id}/keys/${key.body.record.id}`)).status).toBe(404);
    const patched = await admin.patch(`/api/admin/projects/${shop.id}`, { domains: ["shop.example", "www.shop2.example"] });
    expect(patched.body.project.domains).toEqual(["shop.example", "shop2.example"]);
    for (const [body, status, field] of [
      [{ name: "X", timezone: "Nowhere/Land" }, 422, "timezone:"],
      [{ name: "X", domains: ["shop.example"] }, 409, "domains:"],
      [{ name: "X", slug: "Not OK" }, 422, "slug:"],
      [{ name: 5 }, 422, "name"],
    ] as const) {
      const r = await admin.post("/api/admin/projects", body);
      expect(r.status).toBe(status);
      expect(r.body.error.message).toStartWith(field);
    }
    expect((await admin.get("/api/admin/projects/999999")).status).toBe(404);
    const users = await admin.get("/api/admin/users");
    expect(users.body.users.map((u: { email: string; projectIds: number[] }) => [u.email, u.projectIds])).toEqual([
      [ADMIN.email, []],
      [VIEWER.email, [shop.id]],
    ]);
    const last = await admin.del(`/api/admin/users/${users.body.users[0].id}`);
    expect([last.status, last.body.error.code]).toEqual([409, "last_admin"]);
    expect((await admin.post("/api/admin/users", { ...VIEWER, role: "viewer" })).status).toBe(409);
  });
});

describe("viewer vs admin", () => {
  test("a viewer reads only their projects and cannot reach the admin API", async () => {
    const viewer = client(t.app);
    expect((await viewer.login(VIEWER.email, VIEWER.password)).status).toBe(200);
    secrets.push(viewer.cookies.pa_session!);
    const me = await viewer.get("/api/auth/me");
    expect(me.body).toMatchObject({ kind: "session", isAdmin: false, scope: "read" });
    expect(me.body.projects.map((p: { slug: string }) => p.slug)).toEqual([shop.slug]);
    for (const [method, path] of [
      ["GET", "/api/admin/projects"],
      ["POST", "/api/admin/projects"],
      ["GET", "/api/admin/users"],
      ["DELETE", `/api/admin/projects/${shop.id}`],
    ] as const) {
      const r = await viewer.call(method, path, method === "POST" ? { name: "Mine" } : undefined);
      expect([method, path, r.status]).toEqual([method, path, 403]);
    }
    const r = await reader({ cookie: `pa_session=${viewer.cookies.pa_session}` });
    expect(await r.canRead("shop.example")).toBe(true);
    expect(await r.canRead(shop.slug)).toBe(true);
    expect(await r.canRead("blog.example")).toBe(false);
    expect(await r.canRead("unregistered.example")).toBe(false);
    const a = await reader({ cookie: `pa_session=${admin.cookies.pa_session}` });
    expect([a.isAdmin, await a.canRead("blog.example"), await a.canRead("unregistered.example")]).toEqual([true, true, true]);
  });
});

describe("API tokens", () => {
  test("shown once, hashed; read scope reads but cannot write; admin scope can; revoked → 401", async () => {
    const read = await admin.post("/api/auth/tokens", { name: "grafana", scope: "read" });
    const full = await admin.post("/api/auth/tokens", { name: "automation", scope: "admin" });
    expect([read.status, full.status]).toEqual([201, 201]);
    secrets.push(read.body.token, full.body.token);
    expect(read.body.token).toMatch(/^pat_[A-Za-z0-9_-]{43}$/);
    const bearer = (tok: string) => ({ authorization: `Bearer ${tok}` });
    const anon = client(t.app);
    expect((await anon.get("/api/admin/projects", bearer(read.body.token))).status).toBe(200);
    const denied = await anon.post("/api/admin/projects", { name: "Nope" }, bearer(read.body.token));
    expect([denied.status, denied.body.error.code]).toEqual([403, "forbidden"]);
    expect((await anon.post("/api/auth/tokens", { name: "escalate", scope: "admin" }, bearer(read.body.token))).status).toBe(403);
    const made = await anon.post("/api/admin/projects", { name: "By token" }, bearer(full.body.token));
    expect(made.status).toBe(201);
    secrets.push(made.body.key);
    const listed = await admin.get("/api/auth/tokens");
    expect(listed.body.tokens.map((x: { name: string; lastUsedAt: string | null }) => [x.name, x.lastUsedAt !== null])).toEqual([
      ["grafana", true],
      ["automation", true],
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(read.body.token);
    expect((await admin.del(`/api/auth/tokens/${read.body.record.id}`)).status).toBe(200);
    const gone = await anon.get("/api/admin/projects", bearer(read.body.token));
    expect([gone.status, gone.body.error.code]).toEqual([401, "invalid_token"]);
    // A public key is not a read credential.
    expect((await anon.get("/api/auth/me", { authorization: `Bearer ${secrets[3]}` })).status).toBe(401);
  });

  test("a viewer's token can only read", async () => {
    const viewer = client(t.app);
    await viewer.login(VIEWER.email, VIEWER.password);
    const denied = await viewer.post("/api/auth/tokens", { name: "mine", scope: "admin" });
    expect(denied.status).toBe(403);
    const ok = await viewer.post("/api/auth/tokens", { name: "mine" });
    expect([ok.status, ok.body.record.scope]).toEqual([201, "read"]);
    secrets.push(ok.body.token);
    const r = await reader({ authorization: `Bearer ${ok.body.token}` });
    expect([r.isAdmin, r.scope, await r.canRead("shop.example"), await r.canRead("blog.example")]).toEqual([false, "read", true, false]);
  });
});

describe("share links", () => {
  test("a link reads its project only, reaches nothing else, and dies when revoked", async () => {
    const made = await admin.post(`/api/admin/projects/${shop.id}/shares`, { name: "public stats" });
    expect(made.status).toBe(201);
    const slug: string = made.body.slug;
    secrets.push(slug);
    expect(slug).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(made.body.url).toBe(`http://127.0.0.1:3000/share/${slug}`);
    const anon = client(t.app);
    const me = await anon.get(`/api/auth/me?auth=${slug}`);
    expect(me.body).toMatchObject({ kind: "share", user: null, isAdmin: false, scope: "read" });
    expect(me.body.projects.map((p: { id: number }) => p.id)).toEqual([shop.id]);
    const r = await reader({}, `/x?auth=${slug}`);
    expect([await r.canRead("shop.example"), await r.canRead("blog.example"), await r.canRead("other.example")]).toEqual([true, false, false]);
    for (const [method, path] of [
      ["GET", "/api/admin/projects"],
      ["GET", "/api/auth/sessions"],
      ["GET", "/api/auth/tokens"],
      ["POST", "/api/auth/tokens"],
    ] as const) {
      expect((await anon.call(method, `${path}?auth=${slug}`, method === "POST" ? { name: "x" } : undefined)).status).toBe(403);
    }
    expect((await admin.del(`/api/admin/projects/${shop.id}/shares/${made.body.record.id}`)).status).toBe(200);
    const dead = await anon.get(`/api/auth/me?auth=${slug}`);
    expect([dead.status, dead.body.error.code]).toEqual([401, "invalid_share"]);
  });

  test("a password-protected link needs its password once, then the share cookie", async () => {
    const made = await admin.post(`/api/admin/projects/${blog.id}/shares`, { password: "share password 1" });
    const slug: string = made.body.slug;
    secrets.push(slug, "share password 1");
    const anon = client(t.app);
    const locked = await anon.get(`/api/auth/me?auth=${slug}`);
    expect([locked.status, locked.body.error.code]).toEqual([401, "password_required"]);
    expect((await anon.post("/api/auth/share", { slug, password: "wrong password" })).status).toBe(401);
    const ok = await anon.post("/api/auth/share", { slug, password: "share password 1" });
    expect([ok.status, ok.body.projectId]).toEqual([200, blog.id]);
    expect(ok.headers.getSetCookie()[0]).toMatch(/^pa_share=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=604800$/);
    secrets.push(anon.cookies.pa_share!);
    const me = await anon.get(`/api/auth/me?auth=${slug}`);
    expect(me.body.projects.map((p: { id: number }) => p.id)).toEqual([blog.id]);
    expect((await anon.get("/api/auth/me")).body.kind).toBe("share");
  });
});

describe("docs", () => {
  test("/swagger documents the auth and admin APIs, with no secret in any example", async () => {
    const spec = await (await t.app.handle(new Request("http://localhost/swagger/json"))).json();
    for (const path of [
      "/api/auth/login",
      "/api/auth/logout",
      "/api/auth/me",
      "/api/auth/sessions",
      "/api/auth/tokens",
      "/api/auth/share",
      "/api/admin/projects",
      "/api/admin/projects/{id}",
      "/api/admin/projects/{id}/keys",
      "/api/admin/projects/{id}/shares",
      "/api/admin/users",
      "/api/admin/sites",
    ]) {
      expect([path, spec.paths[path] !== undefined]).toEqual([path, true]);
    }
    const text = JSON.stringify(spec);
    for (const s of secrets) expect(text.includes(s)).toBe(false);
  });
});

describe("secrets at rest", () => {
  test("a dump of every table contains no password, key, token, session or share slug in clear", async () => {
    const { tables, text: dump } = await dumpEveryTable(t.sql);
    expect(tables).toEqual(expect.arrayContaining(["users", "user_sessions", "api_tokens", "project_keys", "share_links", "share_sessions"]));
    expect(secrets.length).toBeGreaterThanOrEqual(14);
    for (const s of secrets) expect({ secret: s.slice(0, 6), found: dump.includes(s) }).toEqual({ secret: s.slice(0, 6), found: false });
    // …and no secret reached the logs either.
    const logs = t.logs.join("\n");
    for (const s of secrets) expect(logs.includes(s)).toBe(false);
  });
});
