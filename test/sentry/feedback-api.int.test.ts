import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { feedbackForGroup } from "../../src/feedback/feedback-for-group.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { until } from "../support/wait.ts";
import { counts, makeProject, type TestProject } from "./helpers.ts";

let t: TestApp;
let shop: TestProject;
beforeAll(async () => {
  t = await startTestApp();
  shop = await makeProject(t, "Shop", ["shop.example.com"]);
});
afterAll(() => t.stop());

describe("POST /api/feedback", () => {
  test("202 and a feedback row; the message is scrubbed, the typed email kept, the URL cut", async () => {
    const r = await t.post(
      "/api/feedback",
      {
        category: "feature",
        message: "Please add dark mode. My token=abc123secret and IP 10.1.2.3",
        email: "dana@example.com",
        url: "https://shop.example.com/settings?session=xyz#top",
        release: "web@2",
        platform: "web",
      },
      { headers: { origin: "https://www.shop.example.com" } },
    );
    expect(r.status).toBe(202);
    const { id } = await r.json();
    await until(async () => (await t.sql`select 1 from feedback where id = ${id}`).length === 1, "the feedback row");
    const [row] = await t.sql`select * from feedback where id = ${id}`;
    expect(row).toMatchObject({
      site: "shop.example.com",
      project_id: String(shop.id),
      category: "feature",
      message: "Please add dark mode. My token=<token> and IP <ip>",
      email: "dana@example.com",
      url: "https://shop.example.com/settings",
      release: "web@2",
      platform: "web",
      status: "open",
      source: "api",
    });
  });

  test("linked to a crash of /api/crash by its id, whichever arrives first", async () => {
    const crash = await t.post("/api/crash", {
      site: "shop.example.com",
      errorType: "TypeError",
      message: "x is undefined",
      stack: "TypeError: x is undefined\n    at render (https://shop.example.com/app.js:10:5)",
    });
    const { id: crashId } = await crash.json();
    const fb = await t.post("/api/feedback", { category: "bug", message: "The page went blank", associated_event_id: crashId, site: "shop.example.com" });
    expect(fb.status).toBe(202);
    const group = await until(async () => (await t.sql`select group_id from crashes where id = ${crashId}`)[0]?.group_id as string | undefined, "the crash");
    const linked = await until(async () => {
      const f = await feedbackForGroup(t.runtime.deps.database.sql, group!);
      return f.length === 1 ? f : null;
    }, "the linked feedback");
    expect(linked![0]).toMatchObject({ message: "The page went blank", category: "bug", email: null });
  });

  test("bad input is a 4xx naming the field, and nothing is written", async () => {
    const before = await counts(t.sql, ["event_log"]);
    const cases: [unknown, number, string][] = [
      [{ message: "hi" }, 422, "category"],
      [{ category: "rant", message: "hi" }, 422, "category"],
      [{ category: "bug", message: "" }, 422, "message"],
      [{ category: "bug", message: "   " }, 422, "message"],
      [{ category: "bug", message: "x".repeat(4097) }, 422, "message"],
      [{ category: "bug", message: "hi", email: "not an email" }, 422, "email"],
      [{ category: "bug", message: "hi", associated_event_id: "nope" }, 422, "associated_event_id"],
    ];
    for (const [body, status, field] of cases) {
      const r = await t.post("/api/feedback", { site: "shop.example.com", ...(body as object) });
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect((await r.json()).error.message).toContain(field);
    }
    expect((await t.post("/api/feedback", "{nope", { raw: true })).status).toBe(400);
    expect(await counts(t.sql, ["event_log"])).toEqual(before);
  });

  test("bots are dropped", async () => {
    const r = await t.post("/api/feedback", { category: "general", message: "buy cheap pills", site: "shop.example.com" }, { headers: { "user-agent": "curl/8.5.0" } });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ accepted: false, reason: "bot" });
  });
});

describe("feedback retention", () => {
  test("feedback older than 365 days is deleted, with its event-log copy; newer feedback stays", async () => {
    const { deleteExpiredFeedback } = await import("../../src/feedback/delete-expired-feedback.ts");
    const r = await t.post("/api/feedback", { category: "general", message: "old news", site: "shop.example.com" });
    const { id } = await r.json();
    await until(async () => (await t.sql`select 1 from feedback where id = ${id}`).length === 1, "the row");
    const total = (await t.sql`select count(*)::int as n from feedback`)[0]!.n as number;
    const sql = t.runtime.deps.database.sql;
    expect(await deleteExpiredFeedback(sql, new Date())).toBe(0);
    expect(await deleteExpiredFeedback(sql, new Date(Date.now() + 367 * 86_400_000))).toBe(total);
    expect(await t.sql`select 1 from feedback`).toHaveLength(0);
    expect(await t.sql`select 1 from event_log where event_type = 'feedback.submitted.v0'`).toHaveLength(0);
  });
});
