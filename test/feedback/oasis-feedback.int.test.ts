import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createProject } from "../../src/accounts/projects.ts";
import { revokeKey, listKeys } from "../../src/accounts/keys.ts";
import { dumpAllTables } from "../adapters/dump.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { counts } from "../sentry/helpers.ts";
import { until } from "../support/wait.ts";

/** Seed 002 (Oasis RFC): POST /sdk/:app_slug/feedback through the real HTTP app and a real database. */
let t: TestApp;
let desk: { id: number; key: string };
let other: { id: number; key: string };
beforeAll(async () => {
  t = await startTestApp();
  const db = { sql: t.runtime.deps.database.sql, ensureSchema: t.runtime.deps.ensureSchema };
  desk = await createProject(db, { name: "Desk App", slug: "desk-app" }, {});
  other = await createProject(db, { name: "Other App", slug: "other-app" }, {});
});
afterAll(() => t.stop());

// The RFC's body, as its SDK sends it; deviceInfo carries an identifier that must not be kept.
const body = {
  category: "bug",
  message: "The save button does not work. Write me at dana@example.com",
  email: "dana@example.com",
  appVersion: "1.4.0",
  platform: "darwin-aarch64",
  osVersion: "macOS 14.2",
  deviceInfo: { model: "MacBookPro18,3", arch: "arm64", memory: 16, deviceId: "dev-5566-secret", hostname: "danas-mbp" },
  attachments: [{ data: "aGVsbG8=", filename: "screenshot.png", mimeType: "image/png" }],
};
const sdk = (path: string, b: unknown, key?: string, extra: Record<string, string> = {}) =>
  t.post(path, b, { headers: { "user-agent": "oasis-sdk/1.0", ...(key ? { "x-api-key": key } : {}), ...extra } });

describe("POST /sdk/:app_slug/feedback", () => {
  test("the app's key → 200 {success, data: {id}} once durable; a feedback row with the RFC's fields, no identifiers", async () => {
    const res = await sdk("/sdk/desk-app/feedback", body, desk.key);
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer).toEqual({ success: true, data: { id: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    // Durable before the answer: the event is in the log already.
    expect(await t.sql`select 1 from event_log where ingest_id = ${answer.data.id}`).toHaveLength(1);
    const row = await until(async () => (await t.sql`select * from feedback where id = ${answer.data.id}`)[0], "the feedback row");
    expect(row).toMatchObject({
      site: "desk-app",
      project_id: String(desk.id),
      category: "bug",
      // The message is scrubbed like every message; the email field is kept (the person typed it to be answered).
      message: "The save button does not work. Write me at <email>",
      email: "dana@example.com",
      release: "1.4.0",
      platform: "darwin-aarch64",
      os_version: "macOS 14.2",
      device: { model: "MacBookPro18,3", arch: "arm64", memory: 16 },
      source: "oasis",
      status: "open",
    });
    const dump = (await dumpAllTables(t.sql)) + "\n" + t.logs.join("\n");
    for (const secret of ["dev-5566-secret", "danas-mbp", "aGVsbG8=", "screenshot.png", desk.key]) expect(dump).not.toContain(secret);
  });

  test("category, message and email only (the SDK's smallest call) is enough; the Bearer form of the key works too", async () => {
    const res = await sdk("/sdk/desk-app/feedback", { category: "feature", message: "Dark mode please" }, undefined, { authorization: `Bearer ${desk.key}` });
    expect(res.status).toBe(200);
    const { data } = await res.json();
    const row = await until(async () => (await t.sql`select * from feedback where id = ${data.id}`)[0], "the row");
    expect(row).toMatchObject({ category: "feature", message: "Dark mode please", email: null, release: null, device: null, os_version: null });
  });

  test("no key → 401 unauthorized, unknown or revoked key → 401 invalid_key, another app's key → 403 wrong_project; nothing written", async () => {
    const before = await counts(t.sql, ["event_log", "feedback"]);
    const none = await sdk("/sdk/desk-app/feedback", body);
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe("unauthorized");
    const unknown = await sdk("/sdk/desk-app/feedback", body, "pk_desk-app_0000000000000000");
    expect(unknown.status).toBe(401);
    expect((await unknown.json()).error.code).toBe("invalid_key");
    const wrong = await sdk("/sdk/desk-app/feedback", body, other.key);
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ error: { code: "wrong_project", message: expect.stringContaining("desk-app") } });
    // The same key on its own app's path works; after revoking it, 401.
    const db = { sql: t.runtime.deps.database.sql, ensureSchema: t.runtime.deps.ensureSchema };
    const extra = await createProject(db, { name: "Gone App", slug: "gone-app" }, {});
    const [k] = await listKeys(t.runtime.deps.database.sql, extra.id);
    await revokeKey(db, k!.id);
    expect((await sdk("/sdk/gone-app/feedback", body, extra.key)).status).toBe(401);
    expect(await counts(t.sql, ["event_log", "feedback"])).toEqual(before);
  });

  test("bad bodies → 4xx in the error shape, naming the field; nothing written", async () => {
    const before = await counts(t.sql, ["event_log"]);
    const cases: [unknown, number, string][] = [
      [{ message: "hi" }, 422, "category"],
      [{ category: "rant", message: "hi" }, 422, "category"],
      [{ category: "bug" }, 422, "message"],
      [{ category: "bug", message: "" }, 422, "message"],
      [{ category: "bug", message: "   " }, 422, "message"],
      [{ category: "bug", message: "x".repeat(4097) }, 422, "message"],
      [{ category: "bug", message: "hi", email: "not an email" }, 422, "email"],
      [{ category: "bug", message: "hi", appVersion: 3 }, 422, "appVersion"],
      [{ category: "bug", message: "hi", deviceInfo: "mac" }, 422, "deviceInfo"],
      [{ category: "bug", message: "hi", attachments: "nope" }, 422, "attachments"],
    ];
    for (const [b, status, field] of cases) {
      const r = await sdk("/sdk/desk-app/feedback", b, desk.key);
      expect(r.status, JSON.stringify(b)).toBe(status);
      const e = await r.json();
      expect(e.error.code).toBe("invalid_body");
      expect(e.error.message).toContain(field);
    }
    const broken = await t.post("/sdk/desk-app/feedback", "{nope", { raw: true, headers: { "x-api-key": desk.key } });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.code).toBe("invalid_json");
    const huge = await sdk("/sdk/desk-app/feedback", { ...body, attachments: [{ data: "x".repeat(1100 * 1024), filename: "a", mimeType: "b" }] }, desk.key);
    expect(huge.status).toBe(413);
    expect(await counts(t.sql, ["event_log"])).toEqual(before);
  });
});
