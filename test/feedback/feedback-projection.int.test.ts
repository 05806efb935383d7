import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connectDatabase, type Database } from "../../src/db/client.ts";
import { lazyMigrator } from "../../src/db/migrate.ts";
import { createProjector, type Projector, type StoredEvent } from "../../src/pathways/projector.ts";
import { PROJECTION_TABLES } from "../../src/pathways/registry.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres.ts";

/**
 * Feedback triage that lasts: a feedback's status and notes come out the same whatever order the
 * submission, status changes and notes are delivered in, however often, and after a rebuild;
 * `.v0` feedback events stored before the Oasis source and fields existed still project.
 */
let db: TestDatabase;
let database: Database;
let projector: Projector;
beforeAll(async () => {
  db = await createTestDatabase("feedback_projection");
  database = connectDatabase(db.url, { max: 2 });
  const migrator = lazyMigrator(database.sql, db.url);
  await migrator.ensure();
  projector = createProjector(database.sql, migrator.ensure);
});
afterAll(async () => {
  await database.close();
  await db.drop();
});

const FEEDBACK = "0190a6c4-0000-7000-8000-00000000f00d";
let seq = 0;
const id = (prefix: string) => `0190a6c4-0000-7000-${prefix}-${String(++seq).padStart(12, "0")}`;
const at = (min: number) => new Date(Date.UTC(2026, 10, 20, 10, min)).toISOString();

/** A feedback.submitted.v0 exactly as the first version of the contract stored it (no osVersion, no device). */
const submitted = (over: Record<string, unknown> = {}): StoredEvent => ({
  flowType: "feedback.v0",
  eventType: "feedback.submitted.v0",
  payload: {
    ingestId: FEEDBACK,
    site: "app.example",
    projectId: null,
    category: "bug",
    message: "Saving fails",
    email: null,
    url: null,
    release: "1.0",
    platform: null,
    environment: null,
    associatedEventId: null,
    source: "api",
    occurredAt: at(0),
    ...over,
  },
});
const status = (min: number, s: string, feedbackId = FEEDBACK): StoredEvent => ({
  flowType: "feedback.v0",
  eventType: "feedback.status-changed.v0",
  payload: { ingestId: id("9000"), feedbackId, site: "app.example", status: s, occurredAt: at(min) },
});
const note = (min: number, text: string): StoredEvent => ({
  flowType: "feedback.v0",
  eventType: "feedback.note-added.v0",
  payload: { ingestId: id("a000"), feedbackId: FEEDBACK, site: "app.example", note: text, authorId: null, occurredAt: at(min) },
});

const deletion = (min: number): StoredEvent => ({
  flowType: "feedback.v0",
  eventType: "feedback.deleted.v0",
  payload: { ingestId: id("d000"), feedbackId: FEEDBACK, site: "app.example", occurredAt: at(min) },
});

async function reset() {
  await database.sql.unsafe(`truncate ${PROJECTION_TABLES.join(", ")}`);
}
async function outcome() {
  const [f] = await database.sql`select status, status_changed_at from feedback where id = ${FEEDBACK}`;
  const notes = await database.sql`select body, created_at from feedback_notes where feedback_id = ${FEEDBACK} order by created_at`;
  return { feedback: f ? { ...f } : null, notes: notes.map((n) => n.body as string) };
}

/** Deterministic shuffles (mulberry32), some with an event delivered twice. */
function orders(events: StoredEvent[], n: number, seed = 11): StoredEvent[][] {
  let s = seed;
  const rand = () => ((s = (s + 0x6d2b79f5) | 0), ((Math.imul(s ^ (s >>> 15), 1 | s) ^ (s >>> 7)) >>> 0) / 4294967296);
  const out: StoredEvent[][] = [events, [...events].reverse()];
  while (out.length < n) {
    const o = [...events];
    for (let i = o.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [o[i], o[j]] = [o[j]!, o[i]!];
    }
    if (rand() < 0.5) o.splice(Math.floor(rand() * o.length), 0, o[Math.floor(rand() * o.length)]!);
    out.push(o);
  }
  return out;
}

describe("feedback status and notes, whatever the delivery order", () => {
  test("the latest decision by its own time wins; every note is kept once; one event at a time or all in one batch", async () => {
    const events = [submitted(), status(2, "in_progress"), note(3, "Reproduced"), status(5, "closed"), note(4, "Fixed in 1.1"), status(1, "open")];
    const runs: StoredEvent[][][] = [...orders(events, 12).map((o) => o.map((e) => [e])), [events], [[...events].reverse()]];
    for (const deliveries of runs) {
      await reset();
      for (const batch of deliveries) await projector.project(batch);
      const got = await outcome();
      expect(got.feedback).toEqual({ status: "closed", status_changed_at: new Date(at(5)) });
      expect(got.notes).toEqual(["Reproduced", "Fixed in 1.1"]);
    }
  }, 60_000);

  test("a decision delivered before its feedback waits, and the feedback arrives with it", async () => {
    await reset();
    await projector.project([status(7, "in_progress")]);
    expect((await outcome()).feedback).toBeNull();
    await projector.project([submitted()]);
    expect((await outcome()).feedback).toEqual({ status: "in_progress", status_changed_at: new Date(at(7)) });
  });

  test("a rebuild (tables emptied, the log replayed) lands on the same status and notes", async () => {
    await reset();
    const log = [submitted(), status(2, "closed"), note(3, "Duplicate of #12")];
    for (const e of log) await projector.project([e]);
    const before = await outcome();
    await database.sql.unsafe(`truncate ${PROJECTION_TABLES.join(", ")}`); // what --rebuild does
    expect((await outcome()).feedback).toBeNull();
    await projector.project(log);
    expect(await outcome()).toEqual(before);
    expect(before.feedback?.status).toBe("closed");
  });
});

describe("deleting feedback", () => {
  test("in every order, the feedback, its status and its notes are gone and stay gone; a rebuild keeps it deleted", async () => {
    const events = [submitted(), status(2, "closed"), note(3, "Spam"), deletion(4)];
    const runs: StoredEvent[][][] = [...orders(events, 10).map((o) => o.map((e) => [e])), [events], [[...events].reverse()]];
    for (const deliveries of runs) {
      await reset();
      for (const batch of deliveries) await projector.project(batch);
      expect(await outcome()).toEqual({ feedback: null, notes: [] });
      expect(await database.sql`select 1 from feedback_status where feedback_id = ${FEEDBACK}`).toHaveLength(0);
      expect(await database.sql`select 1 from feedback_deletions where feedback_id = ${FEEDBACK}`).toHaveLength(1);
    }
  }, 60_000);

  test("other feedback is untouched", async () => {
    await reset();
    const other = submitted({ ingestId: id("e000"), message: "Keep me" });
    await projector.project([submitted(), other, deletion(5)]);
    expect((await database.sql`select message from feedback`).map((r) => r.message)).toEqual(["Keep me"]);
  });
});

describe("evolving feedback.submitted.v0", () => {
  test("events stored before `oasis`, `osVersion` and `device` existed still project; new ones carry them", async () => {
    await reset();
    const old = [
      submitted(),
      submitted({ ingestId: id("b000"), source: "sentry_user_report", email: "a@b.example" }),
      submitted({ ingestId: id("b000"), source: "sentry_feedback" }),
    ];
    const oasis = submitted({ ingestId: id("c000"), source: "oasis", osVersion: "macOS 14.2", device: { model: "MacBookPro18,3", memory: 16 } });
    const r = await projector.project([...old, oasis]);
    expect(r.rejected).toEqual([]);
    expect(r.written.feedback).toBe(4);
    const rows = await database.sql`select source, os_version, device, status from feedback order by source`;
    expect(rows.map((x) => ({ ...x }))).toEqual([
      { source: "api", os_version: null, device: null, status: "open" },
      { source: "oasis", os_version: "macOS 14.2", device: { model: "MacBookPro18,3", memory: 16 }, status: "open" },
      { source: "sentry_feedback", os_version: null, device: null, status: "open" },
      { source: "sentry_user_report", os_version: null, device: null, status: "open" },
    ]);
  });

  test("a status outside open, in_progress, closed is rejected, not projected", async () => {
    await reset();
    await projector.project([submitted()]);
    await expect(projector.project([status(3, "done")])).rejects.toMatchObject({ code: "invalid_payload" });
    expect((await outcome()).feedback?.status).toBe("open");
  });
});
