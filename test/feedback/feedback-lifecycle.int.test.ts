import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { deleteExpiredFeedback } from "../../src/feedback/delete-expired-feedback.ts";
import { client } from "../accounts/http-client.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres.ts";
import { until } from "../support/wait.ts";

/**
 * Feedback's whole life through the real server and CLI: sent by the Oasis SDK route, triaged
 * through the admin API, kept by `bun flowcore:backfill --rebuild`, and gone — status, notes and
 * events included — when its project is deleted or it expires.
 */
const ADMIN = { email: "fb-life@example.com", password: "admin password 1" };
const repo = new URL("../../", import.meta.url).pathname;
let db: TestDatabase;
let t: TestApp;
let admin: ReturnType<typeof client>;

beforeAll(async () => {
  db = await createTestDatabase("feedback_life");
  t = await startTestApp({ db, env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: "warn" } });
  admin = client(t.app);
  expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(200);
});
afterAll(async () => {
  await t.stop();
  await db.drop();
});

async function project(slug: string) {
  const r = await admin.post("/api/admin/projects", { name: slug, slug });
  expect(r.status).toBe(201);
  return { id: r.body.project.id as number, key: r.body.key as string };
}
async function feedback(slug: string, key: string, message: string): Promise<string> {
  const r = await t.post(`/sdk/${slug}/feedback`, { category: "bug", message, appVersion: "2.0.0", platform: "linux-x86_64" }, { headers: { "x-api-key": key } });
  expect(r.status).toBe(200);
  const { id } = (await r.json()).data;
  await until(async () => (await t.sql`select 1 from feedback where id = ${id}`).length === 1, "the feedback row");
  return id;
}
const triage = (id: string, body: Record<string, unknown>) => admin.patch(`/api/admin/feedback/${id}`, body).then((r) => (expect(r.status).toBe(200), r));
const state = async (id: string) => {
  const [f] = await t.sql`select status, status_changed_at from feedback where id = ${id}`;
  const notes = await t.sql`select body, author_id from feedback_notes where feedback_id = ${id} order by created_at`;
  return { feedback: f ? { ...f } : null, notes: notes.map((n) => ({ ...n })) };
};
async function cli(...args: string[]) {
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", DATABASE_URL: db.url };
  const p = Bun.spawn([process.execPath, "run", "src/cli/flowcore.ts", ...args], { cwd: repo, env, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, out: out + err };
}

describe("feedback triage survives bun flowcore:backfill --rebuild", () => {
  test("status and notes set through the API are the same after the projection tables are rebuilt from the log", async () => {
    const app = await project("rebuild-app");
    const id = await feedback("rebuild-app", app.key, "Sync loses my notes");
    await triage(id, { status: "in_progress", note: "Seen on Linux only" });
    await triage(id, { status: "closed", note: "Fixed in 2.0.1" });
    const before = await state(id);
    expect(before.feedback?.status).toBe("closed");
    expect(before.notes.map((n) => n.body)).toEqual(["Seen on Linux only", "Fixed in 2.0.1"]);
    const r = await cli("backfill", "--rebuild", "--yes");
    expect(r.code, r.out).toBe(0);
    // Both decisions replay, the later one wins (one row set); both notes replay.
    expect(r.out).toContain("1 feedback, 1 feedback status change, 2 feedback notes");
    expect(await state(id)).toEqual(before);
    expect((await admin.get(`/api/admin/feedback/${id}`)).body.feedback).toMatchObject({ status: "closed", notes: [{ author: ADMIN.email }, { author: ADMIN.email }] });
  }, 60_000);
});

describe("deleting and expiring feedback takes its status, notes and events with it", () => {
  test("DELETE /api/admin/feedback/:id: gone from the list and the tables, its text gone from the event log, and a rebuild does not bring it back", async () => {
    const app = await project("delete-app");
    const id = await feedback("delete-app", app.key, "My phone number is in here by mistake");
    const kept = await feedback("delete-app", app.key, "Nice app");
    await triage(id, { status: "in_progress", note: "Ask them to resend without it" });
    await until(
      async () => (await t.sql`select min(position)::bigint as p from projection_cursor`)[0]?.p >= (await t.sql`select max(seq) as s from event_log`)[0]?.s,
      "the delivery loop caught up",
    );
    // Who may: not a viewer-scope token, not a cross-site browser request; unknown ids are 404/422.
    const token = (await admin.post("/api/auth/tokens", { name: "ro", scope: "read" })).body.token;
    expect((await client(t.app).del(`/api/admin/feedback/${id}`, { authorization: `Bearer ${token}` })).status).toBe(403);
    expect((await admin.del(`/api/admin/feedback/${id}`, { origin: "https://evil.example", "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await admin.del("/api/admin/feedback/0190a6c4-0000-7000-8000-000000000000")).status).toBe(404);
    expect((await admin.del("/api/admin/feedback/x")).status).toBe(422);
    const del = await admin.del(`/api/admin/feedback/${id}`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ applied: true, deleted: { id, notes: 1 } });
    expect((await admin.get(`/api/admin/feedback/${id}`)).status).toBe(404);
    expect((await admin.get("/api/admin/feedback?project=delete-app")).body.feedback.map((f: { id: string }) => f.id)).toEqual([kept]);
    expect(await state(id)).toEqual({ feedback: null, notes: [] });
    // Only the deletion (ids, no text) is left in the log.
    const left = await t.sql`select event_type, payload from event_log where ingest_id = ${id} or payload->>'feedbackId' = ${id}`;
    expect(left.map((e) => e.event_type)).toEqual(["feedback.deleted.v0"]);
    expect(JSON.stringify(left)).not.toContain("phone number");
    expect((await admin.del(`/api/admin/feedback/${id}`)).status).toBe(404);
    const r = await cli("backfill", "--rebuild", "--yes");
    expect(r.code, r.out).toBe(0);
    expect(await state(id)).toEqual({ feedback: null, notes: [] });
    expect((await state(kept)).feedback?.status).toBe("open");
  }, 60_000);

  test("deleting the project deletes its feedback, status decisions, notes and their events", async () => {
    const doomed = await project("doomed-app");
    const kept = await project("kept-app");
    const gone = await feedback("doomed-app", doomed.key, "Crashes on start");
    const stays = await feedback("kept-app", kept.key, "Works for me");
    await triage(gone, { status: "closed", note: "Won't fix" });
    await triage(stays, { status: "in_progress", note: "Looking" });
    // A second feedback of the doomed app, deleted on its own first: its tombstone goes with the project.
    const deletedFirst = await feedback("doomed-app", doomed.key, "Typo");
    await until(
      async () => (await t.sql`select min(position)::bigint as p from projection_cursor`)[0]?.p >= (await t.sql`select max(seq) as s from event_log`)[0]?.s,
      "the delivery loop caught up",
    );
    expect((await admin.del(`/api/admin/feedback/${deletedFirst}`)).status).toBe(200);
    const preview = await admin.get(`/api/admin/projects/${doomed.id}`);
    expect(preview.body.data).toMatchObject({ feedback: 1, feedback_status: 1, feedback_notes: 1, feedback_deletions: 1, event_log: 4 });
    const del = await admin.del(`/api/admin/projects/${doomed.id}`);
    expect(del.status).toBe(200);
    expect(del.body.deleted).toMatchObject({ feedback: 1, feedback_status: 1, feedback_notes: 1, feedback_deletions: 1, event_log: 4 });
    for (const table of ["feedback_status", "feedback_notes"]) {
      expect(await t.sql`select 1 from ${t.sql(table)} where feedback_id = ${gone}`).toHaveLength(0);
      expect(await t.sql`select 1 from ${t.sql(table)} where feedback_id = ${stays}`).toHaveLength(1);
    }
    expect(await t.sql`select 1 from event_log where payload->>'feedbackId' = ${gone} or ingest_id = ${gone}`).toHaveLength(0);
    expect((await state(stays)).feedback?.status).toBe("in_progress");
  });

  test("retention deletes expired feedback with its status, notes and their events; a rebuild does not bring them back", async () => {
    const app = await project("old-app");
    const id = await feedback("old-app", app.key, "An old complaint");
    await triage(id, { status: "closed", note: "Answered by email" });
    const events = () => t.sql`select event_type from event_log where ingest_id = ${id} or payload->>'feedbackId' = ${id}`;
    expect(await events()).toHaveLength(3);
    await until(
      async () => (await t.sql`select min(position)::bigint as p from projection_cursor`)[0]?.p >= (await t.sql`select max(seq) as s from event_log`)[0]?.s,
      "the delivery loop caught up",
    );
    const sql = t.runtime.deps.database.sql;
    expect(await deleteExpiredFeedback(sql, new Date())).toBe(0);
    expect(await deleteExpiredFeedback(sql, new Date(Date.now() + 367 * 86_400_000))).toBeGreaterThanOrEqual(1);
    expect(await t.sql`select 1 from feedback_status union all select 1 from feedback_notes union all select 1 from feedback`).toHaveLength(0);
    expect(await events()).toHaveLength(0);
    expect((await cli("backfill", "--rebuild", "--yes")).code).toBe(0);
    expect(await state(id)).toEqual({ feedback: null, notes: [] });
  }, 60_000);
});
