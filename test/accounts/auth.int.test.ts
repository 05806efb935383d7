import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "../support/app.ts";
import { client } from "./http-client.ts";

const ADMIN = { email: "admin@example.com", password: "correct horse battery" };
let t: TestApp;
let now = new Date("2026-03-01T12:00:00Z");

beforeAll(async () => {
  t = await startTestApp({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }, clock: () => now });
});
afterAll(() => t.stop());

describe("first run", () => {
  test("ADMIN_EMAIL/ADMIN_PASSWORD create one admin, stored as an argon2id hash", async () => {
    const users = await t.sql<{ email: string; role: string; password_hash: string }[]>`select email, role, password_hash from users`;
    expect(users.map((u) => [u.email, u.role])).toEqual([[ADMIN.email, "admin"]]);
    expect(users[0]!.password_hash).toStartWith("$argon2id$");
  });

  test("a second start with other values creates nobody", async () => {
    const again = await startTestApp({ db: t.db, env: { ADMIN_EMAIL: "other@example.com", ADMIN_PASSWORD: "another password!" }, delivery: false });
    await again.stop();
    const [row] = await t.sql<{ n: number }[]>`select count(*)::int as n from users`;
    expect(row!.n).toBe(1);
  });

  test("without any user every read is refused with setup_required", async () => {
    const fresh = await startTestApp();
    try {
      const c = client(fresh.app);
      for (const path of ["/api/auth/me", "/api/admin/projects", "/api/auth/me?auth=AAAAAAAAAAAAAAAAAAAAAA"]) {
        const r = await c.get(path);
        expect([r.status, r.body.error.code]).toEqual([401, "setup_required"]);
      }
    } finally {
      await fresh.stop();
    }
  });
});

describe("login and logout", () => {
  test("login sets an HttpOnly, SameSite=Lax, 30-day session cookie; logout ends the session", async () => {
    const c = client(t.app);
    const r = await c.login(ADMIN.email.toUpperCase(), ADMIN.password);
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ email: ADMIN.email, role: "admin" });
    const cookie = r.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^pa_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=2592000$/);
    expect((await c.get("/api/auth/me")).body).toMatchObject({ kind: "session", isAdmin: true, scope: "admin" });
    const stolen = { ...c.cookies };
    const out = await c.post("/api/auth/logout");
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie()[0]).toContain("Max-Age=0");
    c.cookies = stolen; // the old cookie no longer works anywhere
    expect((await c.get("/api/auth/me")).status).toBe(401);
  });

  test("the cookie is Secure behind an HTTPS proxy", async () => {
    const r = await client(t.app).login(ADMIN.email, ADMIN.password, { "x-forwarded-proto": "https" });
    expect(r.headers.getSetCookie()[0]).toEndWith("; Secure");
  });

  test("a wrong password and an unknown email get the same answer", async () => {
    const c = client(t.app);
    const wrong = await c.login(ADMIN.email, "not the password", { "x-forwarded-for": "198.51.100.1" });
    const unknown = await c.login("nobody@example.com", "not the password", { "x-forwarded-for": "198.51.100.2" });
    expect(wrong.status).toBe(401);
    expect([unknown.status, unknown.body]).toEqual([wrong.status, wrong.body]);
    expect(wrong.body.error.code).toBe("invalid_credentials");
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  test("expired sessions stop working after 30 days", async () => {
    const c = client(t.app);
    await c.login(ADMIN.email, ADMIN.password);
    expect((await c.get("/api/auth/me")).status).toBe(200);
    const saved = now;
    now = new Date(now.getTime() + 30 * 86_400_000 + 1000);
    try {
      expect((await c.get("/api/auth/me")).status).toBe(401);
    } finally {
      now = saved;
    }
  });
});

describe("login rate limits", () => {
  test("per account: after 5 failures each failure doubles the wait, even for the right password", async () => {
    const c = client(t.app);
    const ip = (n: number) => ({ "x-forwarded-for": `192.0.2.${n}` }); // a new address each time: only the account limit applies
    for (let i = 0; i < 6; i++) expect((await c.login(ADMIN.email, "wrong password", ip(i))).status).toBe(401);
    const blocked = await c.login(ADMIN.email, ADMIN.password, ip(10));
    expect([blocked.status, blocked.body.error.code, blocked.headers.get("retry-after")]).toEqual([429, "too_many_attempts", "1"]);
    now = new Date(now.getTime() + 1000);
    expect((await c.login(ADMIN.email, "wrong again", ip(11))).status).toBe(401);
    expect((await c.login(ADMIN.email, ADMIN.password, ip(12))).headers.get("retry-after")).toBe("2");
    now = new Date(now.getTime() + 2000);
    expect((await c.login(ADMIN.email, ADMIN.password, ip(13))).status).toBe(200);
    // Success clears the account's failures.
    expect((await c.login(ADMIN.email, "wrong password", ip(14))).status).toBe(401);
  }, 30_000);

  test("an unknown email is limited exactly like a known one", async () => {
    const c = client(t.app);
    const ip = (n: number) => ({ "x-forwarded-for": `192.0.2.${100 + n}` });
    for (let i = 0; i < 6; i++) expect((await c.login("ghost@example.com", "wrong password", ip(i))).status).toBe(401);
    const r = await c.login("ghost@example.com", "wrong password", ip(9));
    expect([r.status, r.headers.get("retry-after")]).toEqual([429, "1"]);
  }, 30_000);

  test("per client: one address trying many accounts is slowed down", async () => {
    const c = client(t.app);
    const from = { "x-forwarded-for": "203.0.113.99" };
    for (let i = 0; i < 20; i++) expect((await c.login(`user${i}@example.com`, "wrong password", from)).status).toBe(401);
    expect((await c.login("user20@example.com", "wrong password", from)).status).toBe(401);
    const r = await c.login(ADMIN.email, ADMIN.password, from);
    expect(r.status).toBe(429);
    // Another address is not affected.
    expect((await c.login(ADMIN.email, ADMIN.password, { "x-forwarded-for": "203.0.113.100" })).status).toBe(200);
  }, 60_000);
});

describe("CSRF", () => {
  test("a state-changing request from another origin is refused, from our own accepted", async () => {
    const c = client(t.app);
    await c.login(ADMIN.email, ADMIN.password);
    const evil = await c.post("/api/admin/projects", { name: "Evil" }, { origin: "https://evil.example" });
    expect([evil.status, evil.body.error.code]).toEqual([403, "csrf_rejected"]);
    const crossSite = await c.post("/api/admin/projects", { name: "Evil" }, { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    const ok = await c.post("/api/admin/projects", { name: "Fine" }, { origin: "http://localhost", "sec-fetch-site": "same-origin" });
    expect(ok.status).toBe(201);
    const [row] = await t.sql<{ n: number }[]>`select count(*)::int as n from projects where name = 'Evil'`;
    expect(row!.n).toBe(0);
    // Login itself is protected too (login CSRF), and so is logout.
    expect((await c.login(ADMIN.email, ADMIN.password, { origin: "https://evil.example" })).status).toBe(403);
    expect((await c.post("/api/auth/logout", {}, { origin: "https://evil.example" })).status).toBe(403);
    expect((await c.get("/api/auth/me")).status).toBe(200);
  });
});

describe("sessions", () => {
  test("listed per user; revoking one signs that device out", async () => {
    const laptop = client(t.app);
    const phone = client(t.app);
    await laptop.login(ADMIN.email, ADMIN.password, { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36" });
    await phone.login(ADMIN.email, ADMIN.password);
    const list = await laptop.get("/api/auth/sessions");
    expect(list.status).toBe(200);
    const current = list.body.sessions.find((s: { current: boolean }) => s.current);
    expect(current.client).toBe("Chrome on Linux");
    const other = list.body.sessions.filter((s: { current: boolean }) => !s.current);
    expect(other.length).toBeGreaterThanOrEqual(1);
    const phoneId = (await phone.get("/api/auth/sessions")).body.sessions.find((s: { current: boolean }) => s.current).id;
    expect((await laptop.del(`/api/auth/sessions/${phoneId}`)).status).toBe(200);
    expect((await phone.get("/api/auth/me")).status).toBe(401);
    expect((await laptop.get("/api/auth/me")).status).toBe(200);
    expect((await laptop.del(`/api/auth/sessions/${phoneId}`)).status).toBe(404);
  });

  test("a new password ends every session of the user", async () => {
    const c = client(t.app);
    await c.login(ADMIN.email, ADMIN.password);
    const viewer = await c.post("/api/admin/users", { email: "pw@example.com", password: "first password", role: "viewer" });
    const v = client(t.app);
    await v.login("pw@example.com", "first password");
    expect((await v.get("/api/auth/me")).status).toBe(200);
    const weak = await c.patch(`/api/admin/users/${viewer.body.user.id}`, { password: "short" });
    expect([weak.status, weak.body.error.code]).toEqual([422, "weak_password"]);
    expect(weak.body.error.message).toContain("at least 10 characters");
    expect((await c.patch(`/api/admin/users/${viewer.body.user.id}`, { password: "second password" })).status).toBe(200);
    expect((await v.get("/api/auth/me")).status).toBe(401);
    expect((await v.login("pw@example.com", "second password")).status).toBe(200);
  }, 30_000);
});
