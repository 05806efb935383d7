import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { client } from "../accounts/http-client.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

/**
 * The feedback admin API as an admin, a viewer, a read token and a share link use it: list
 * (filters, paging, newest first), one feedback, status changes and notes, and who may do what.
 * Feedback goes in through the real ingest routes.
 */
const ADMIN = { email: "fb-admin@example.com", password: "admin password 1" };
const VIEWER = { email: "fb-viewer@example.com", password: "viewer password 1" };
let t: TestApp;
let admin: ReturnType<typeof client>;
let viewer: ReturnType<typeof client>;
let shopKey: string;
let shareSlug: string;
let readToken: string;
const ids: Record<string, string> = {};

async function sendOasis(message: string, category: string, appVersion = "1.0.0") {
  const r = await t.post("/sdk/shop/feedback", { category, message, email: "dana@example.com", appVersion, platform: "darwin-aarch64" }, { headers: { "x-api-key": shopKey } });
  expect(r.status).toBe(200);
  ids[message] = (await r.json()).data.id;
}

beforeAll(async () => {
  t = await startTestApp({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } });
  admin = client(t.app);
  expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(200);
  const shop = await admin.post("/api/admin/projects", { name: "Shop", slug: "shop", domains: ["shop.example"] });
  shopKey = shop.body.key;
  expect((await admin.post("/api/admin/projects", { name: "Blog", slug: "blog", domains: ["blog.example"] })).status).toBe(201);
  expect((await admin.post("/api/admin/users", { ...VIEWER, role: "viewer", projectIds: [shop.body.project.id] })).status).toBe(201);
  viewer = client(t.app);
  expect((await viewer.login(VIEWER.email, VIEWER.password)).status).toBe(200);
  shareSlug = (await admin.post(`/api/admin/projects/${shop.body.project.id}/shares`, { name: "public" })).body.slug;
  readToken = (await admin.post("/api/auth/tokens", { name: "grafana", scope: "read" })).body.token;
  // Oldest first, so the list's newest-first order is the reverse.
  await sendOasis("Export crashes on big files", "bug", "1.0.0");
  await sendOasis("Please add dark mode", "feature", "1.1.0");
  await sendOasis("Love it", "general", "1.1.0");
  const blog = await t.post("/api/feedback", { category: "bug", message: "Comments vanish", site: "blog.example" });
  expect(blog.status).toBe(202);
  ids["Comments vanish"] = (await blog.json()).id;
  expect(await t.waitForRows("feedback", 4)).toBe(4);
});
afterAll(() => t.stop());

const messages = (body: { feedback: { message: string }[] }) => body.feedback.map((f) => f.message);

describe("GET /api/admin/feedback", () => {
  test("nobody signed in → 401; an admin reads every site, newest first; a viewer only their project's", async () => {
    expect((await client(t.app).get("/api/admin/feedback")).status).toBe(401);
    const all = await admin.get("/api/admin/feedback");
    expect(all.status).toBe(200);
    expect(messages(all.body)).toEqual(["Comments vanish", "Love it", "Please add dark mode", "Export crashes on big files"]);
    expect(all.body).toMatchObject({ total: 4, limit: 25, offset: 0 });
    expect(all.body.feedback[1]).toMatchObject({
      site: "shop.example",
      category: "general",
      email: "dana@example.com",
      release: "1.1.0",
      source: "oasis",
      status: "open",
      notes: [],
    });
    const mine = await viewer.get("/api/admin/feedback");
    expect(messages(mine.body)).toEqual(["Love it", "Please add dark mode", "Export crashes on big files"]);
    expect((await viewer.get("/api/admin/feedback?site=blog.example")).status).toBe(403);
    expect((await viewer.get("/api/admin/feedback?project=blog")).status).toBe(404);
    expect((await viewer.get(`/api/admin/feedback/${ids["Comments vanish"]}`)).status).toBe(404);
  });

  test("filters by site, project, status, category and release; pages; bad parameters are 400 naming them", async () => {
    expect(messages((await admin.get("/api/admin/feedback?site=blog.example")).body)).toEqual(["Comments vanish"]);
    expect(messages((await admin.get("/api/admin/feedback?project=shop&category=bug,feature")).body)).toEqual(["Please add dark mode", "Export crashes on big files"]);
    expect(messages((await admin.get("/api/admin/feedback?category=bug")).body)).toEqual(["Comments vanish", "Export crashes on big files"]);
    expect(messages((await admin.get("/api/admin/feedback?release=1.1.0")).body)).toEqual(["Love it", "Please add dark mode"]);
    const p1 = await admin.get("/api/admin/feedback?project=shop&limit=2");
    expect(p1.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(messages(p1.body)).toEqual(["Love it", "Please add dark mode"]);
    const p2 = await admin.get("/api/admin/feedback?project=shop&limit=2&offset=2");
    expect(messages(p2.body)).toEqual(["Export crashes on big files"]);
    expect((await admin.get("/api/admin/feedback?project=shop&limit=2&offset=10")).body).toMatchObject({ feedback: [], total: 3 });
    for (const [q, field] of [
      ["status=done", "status"],
      ["category=rant", "category"],
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["offset=-1", "offset"],
    ]) {
      const r = await admin.get(`/api/admin/feedback?${q}`);
      expect([r.status, r.body.error.code], q).toEqual([400, "invalid_query"]);
      expect(r.body.error.message.startsWith(field!)).toBe(true);
    }
    expect((await admin.get("/api/admin/feedback?project=nope")).status).toBe(404);
    expect((await admin.get("/api/admin/feedback/not-a-uuid")).status).toBe(422);
    expect((await admin.get("/api/admin/feedback/0190a6c4-0000-7000-8000-000000000000")).status).toBe(404);
  });

  test("a share link reads its project's feedback without emails or notes, and cannot change it", async () => {
    await admin.patch(`/api/admin/feedback/${ids["Love it"]}`, { note: "Thank them in the newsletter" });
    const shared = await client(t.app).get(`/api/admin/feedback?auth=${shareSlug}`);
    expect(shared.status).toBe(200);
    expect(messages(shared.body)).toEqual(["Love it", "Please add dark mode", "Export crashes on big files"]);
    for (const f of shared.body.feedback) expect([f.email, f.notes]).toEqual([null, []]);
    expect((await client(t.app).get(`/api/admin/feedback?auth=${shareSlug}&site=blog.example`)).status).toBe(403);
    const change = await client(t.app).patch(`/api/admin/feedback/${ids["Love it"]}?auth=${shareSlug}`, { status: "closed" });
    expect([change.status, change.body.error.code]).toEqual([403, "forbidden"]);
  });
});

describe("PATCH /api/admin/feedback/:id", () => {
  test("an admin changes the status and adds notes; the list shows them and filters by status", async () => {
    const id = ids["Export crashes on big files"]!;
    const r = await admin.patch(`/api/admin/feedback/${id}`, { status: "in_progress", note: "Reproduced with a 2 GB file" }, { origin: "http://localhost" });
    expect(r.status).toBe(200);
    expect(r.body.applied).toBe(true);
    expect(r.body.eventIds).toHaveLength(2);
    expect(r.body.feedback).toMatchObject({ id, status: "in_progress", statusChangedAt: expect.any(String) });
    expect(r.body.feedback.notes).toEqual([{ id: expect.any(String), body: "Reproduced with a 2 GB file", author: ADMIN.email, createdAt: expect.any(String) }]);
    await admin.patch(`/api/admin/feedback/${id}`, { note: "Fix in 1.2" });
    const one = await admin.get(`/api/admin/feedback/${id}`);
    expect(one.body.feedback.notes.map((n: { body: string }) => n.body)).toEqual(["Reproduced with a 2 GB file", "Fix in 1.2"]);
    expect(messages((await admin.get("/api/admin/feedback?status=in_progress")).body)).toEqual(["Export crashes on big files"]);
    expect(messages((await admin.get("/api/admin/feedback?status=open&project=shop")).body)).toEqual(["Love it", "Please add dark mode"]);
    // The viewer sees the notes too (they are the team's), and the rows are events in the log.
    expect((await viewer.get(`/api/admin/feedback/${id}`)).body.feedback.notes).toHaveLength(2);
    const events = await t.sql`select event_type, payload from event_log where payload->>'feedbackId' = ${id} order by seq`;
    expect(events.map((e) => e.event_type)).toEqual(["feedback.note-added.v0", "feedback.status-changed.v0", "feedback.note-added.v0"]);
    expect(events[0]!.payload).toMatchObject({ site: "shop.example", note: "Reproduced with a 2 GB file", authorId: expect.any(Number) });
    expect(JSON.stringify(events.map((e) => e.payload))).not.toContain(ADMIN.email);
  });

  test("viewers and read tokens may not change; cross-site browser requests are refused; bad bodies are 422 naming the field", async () => {
    const id = ids["Please add dark mode"]!;
    expect((await viewer.patch(`/api/admin/feedback/${id}`, { status: "closed" })).status).toBe(403);
    expect((await client(t.app).patch(`/api/admin/feedback/${id}`, { status: "closed" }, { authorization: `Bearer ${readToken}` })).status).toBe(403);
    expect((await client(t.app).get(`/api/admin/feedback/${id}`, { authorization: `Bearer ${readToken}` })).status).toBe(200);
    const csrf = await admin.patch(`/api/admin/feedback/${id}`, { status: "closed" }, { origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect([csrf.status, csrf.body.error.code]).toEqual([403, "csrf_rejected"]);
    const before = (await t.sql`select count(*)::int as n from event_log`)[0]!.n;
    for (const [body, field] of [
      [{}, "status or note"],
      [{ status: "done" }, "status"],
      [{ note: "" }, "note"],
      [{ note: "   " }, "note"],
      [{ note: "x".repeat(4097) }, "note"],
      [{ note: 5 }, "note"],
      [{ status: "closed", note: "ok", extra: 1 }, "extra"],
    ] as const) {
      const r = await admin.patch(`/api/admin/feedback/${id}`, body);
      expect([r.status, r.body.error.code], JSON.stringify(body)).toEqual([422, "invalid_body"]);
      expect(r.body.error.message).toContain(field);
    }
    expect((await admin.patch("/api/admin/feedback/nope", { status: "closed" })).status).toBe(422);
    expect((await admin.patch("/api/admin/feedback/0190a6c4-0000-7000-8000-000000000000", { status: "closed" })).status).toBe(404);
    expect((await t.sql`select count(*)::int as n from event_log`)[0]!.n).toBe(before);
    expect((await admin.get(`/api/admin/feedback/${id}`)).body.feedback.status).toBe("open");
  });
});
