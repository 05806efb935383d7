import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connectDatabase, type Database } from "../../src/db/client.ts";
import { lazyMigrator } from "../../src/db/migrate.ts";
import { createProjector, type Projector, type StoredEvent } from "../../src/pathways/projector.ts";
import { PROJECTION_TABLES } from "../../src/pathways/registry.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres.ts";

/**
 * Triage that lasts: a group's status, its regression and its alerts come out the same whatever
 * order crashes and decisions are delivered in, however often, and after a rebuild.
 */
let db: TestDatabase;
let database: Database;
let projector: Projector;
beforeAll(async () => {
  db = await createTestDatabase("triage");
  database = connectDatabase(db.url, { max: 2 });
  const migrator = lazyMigrator(database.sql, db.url);
  await migrator.ensure();
  projector = createProjector(database.sql, migrator.ensure);
});
afterAll(async () => {
  await database.close();
  await db.drop();
});

const HASH = "c".repeat(64);
const GROUP = `g2:${HASH}`;
let seq = 0;
const id = (prefix: string) => `0190a6c4-0000-7000-${prefix}-${String(++seq).padStart(12, "0")}`;

/** A crash of the group at minute `min` of the day, from `release`. */
function crash(min: number, release: string | null, visitor = min): StoredEvent {
  return {
    flowType: "crash.v0",
    eventType: "crash.reported.v0",
    payload: {
      ingestId: id("8000"),
      site: "app.example",
      pathname: null,
      referrer: null,
      referrerHost: null,
      referrerSource: null,
      browser: null,
      browserVersion: null,
      os: "Android",
      osVersion: null,
      deviceType: "mobile",
      visitorHash: String(visitor).padStart(32, "0"),
      occurredAt: at(min),
      errorType: "NullPointerException",
      message: "boom",
      frames: [],
      fingerprint: { version: "g2", hash: HASH },
      release,
      platform: "android",
      severity: "fatal",
      breadcrumbs: null,
      context: null,
    },
  };
}
const at = (min: number) => new Date(Date.UTC(2026, 10, 20, 10, min)).toISOString();
const status = (min: number, s: string, extra: Record<string, unknown> = {}): StoredEvent => ({
  flowType: "crash.v0",
  eventType: "crash-group.status-changed.v0",
  payload: { ingestId: id("9000"), groupId: GROUP, status: s, occurredAt: at(min), ...extra },
});
const deletion = (min: number): StoredEvent => ({
  flowType: "crash.v0",
  eventType: "crash-group.deleted.v0",
  payload: { ingestId: id("a000"), groupId: GROUP, occurredAt: at(min) },
});

async function reset() {
  await database.sql.unsafe(`truncate ${PROJECTION_TABLES.join(", ")}, crash_alerts cascade`);
}

/**
 * What a user sees of the group, and which alerts were raised. An alert says what was known when
 * it was raised (the crash that made the group appear, the first crash seen after a resolution),
 * which depends on arrival order: only the kinds are compared. The group row has no such excuse.
 */
async function outcome() {
  const g = await database.sql`select status, regressed_release, regressed_at, occurrences, affected_visitors, releases from crash_groups where id = ${GROUP}`;
  const alerts = await database.sql`select kind, release, occurred_at from crash_alerts order by kind, dedupe_key`;
  return { group: g[0] ? { ...g[0] } : null, alerts: alerts.map((a) => a.kind as string) };
}

/** Deterministic shuffles (mulberry32), with some events delivered twice. */
function orders(events: StoredEvent[], n: number, seed = 7): StoredEvent[][] {
  let s = seed;
  const rand = () => ((s = (s + 0x6d2b79f5) | 0), ((Math.imul(s ^ (s >>> 15), 1 | s) ^ (s >>> 7)) >>> 0) / 4294967296);
  const out: StoredEvent[][] = [events, [...events].reverse()];
  while (out.length < n) {
    const o = [...events];
    for (let i = o.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [o[i], o[j]] = [o[j]!, o[i]!];
    }
    if (rand() < 0.5) o.splice(Math.floor(rand() * o.length), 0, o[Math.floor(rand() * o.length)]!); // a redelivery
    out.push(o);
  }
  return out;
}

/** Projects `events` in many orders (one delivery each, and all in one batch); every outcome must be `want`. */
async function sameInEveryOrder(events: StoredEvent[], want: Record<string, unknown>, alerts: string[] | null) {
  const runs: StoredEvent[][][] = [...orders(events, 10).map((o) => o.map((e) => [e])), [events], [[...events].reverse()]];
  let first: Awaited<ReturnType<typeof outcome>> | null = null;
  for (const deliveries of runs) {
    await reset();
    for (const batch of deliveries) await projector.project(batch);
    const got = await outcome();
    expect(got.group).toMatchObject(want);
    if (alerts) expect(got.alerts).toEqual(alerts);
    first ??= got;
    expect(got.group).toEqual(first.group);
    if (alerts) expect(got.alerts).toEqual(first.alerts);
  }
}

describe("triage statuses, whatever the delivery order", () => {
  test("a crash after a resolution regresses the group, recording the earliest such crash's release; crashes before it do not", async () => {
    await sameInEveryOrder(
      [crash(1, "1.0.0"), crash(2, "1.1.0"), status(5, "resolved"), crash(7, "1.2.0"), crash(9, "1.3.0")],
      { status: "regressed", regressed_release: "1.2.0", occurrences: 4 },
      ["new_group", "regression"],
    );
  }, 60_000);

  test("resolved, no crash after it → stays resolved, and no regression alert", async () => {
    await sameInEveryOrder([crash(1, "1.0.0"), crash(4, "1.1.0"), status(5, "resolved")], { status: "resolved", regressed_release: null, occurrences: 2 }, ["new_group"]);
  }, 60_000);

  test("resolved in next release: same and older releases after it do not regress, a newer one does (1.10 > 1.9)", async () => {
    const events = [crash(1, "1.9"), status(3, "resolved", { resolvedInRelease: "1.9" }), crash(4, "1.9"), crash(5, "1.8"), crash(6, null), crash(8, "1.10")];
    await sameInEveryOrder(events, { status: "regressed", regressed_release: "1.10", occurrences: 5 }, ["new_group", "regression"]);
    await sameInEveryOrder(events.slice(0, 5), { status: "resolved", regressed_release: null }, ["new_group"]);
  }, 60_000);

  test("ignored until 3 more occurrences: two keep it ignored, the third brings it back as ongoing", async () => {
    const events = [crash(1, "1"), status(2, "ignored", { ignoreCount: 3 }), crash(3, "1"), crash(4, "1")];
    await sameInEveryOrder(events, { status: "ignored" }, ["new_group"]);
    await sameInEveryOrder([...events, crash(5, "1")], { status: "ongoing" }, ["new_group"]);
  }, 60_000);

  test("ignored until a date: crashes before it keep it ignored, one after it brings it back", async () => {
    const events = [crash(1, "1"), status(2, "ignored", { ignoreUntil: at(30) }), crash(20, "1")];
    await sameInEveryOrder(events, { status: "ignored" }, ["new_group"]);
    await sameInEveryOrder([...events, crash(31, "1")], { status: "ongoing" }, ["new_group"]);
  }, 60_000);

  test("ignored forever stays ignored; the latest decision by its time wins, not the last delivered", async () => {
    await sameInEveryOrder([crash(1, "1"), status(2, "ignored"), crash(50, "1")], { status: "ignored" }, ["new_group"]);
    // (Delivered before the later decision, the crash regresses the group for a while: the
    // sender checks a regression alert still holds before sending it — see alert-sender tests.)
    await sameInEveryOrder([crash(1, "1"), status(2, "resolved"), status(6, "ongoing"), crash(8, "2")], { status: "ongoing", regressed_release: null }, null);
  }, 60_000);

  test("a decision delivered before the group's first crash is applied when the group appears", async () => {
    await reset();
    await projector.project([status(5, "ignored")]);
    expect((await outcome()).group).toBeNull();
    await projector.project([crash(1, "1")]);
    expect((await outcome()).group).toMatchObject({ status: "ignored" });
  });

  test("a .v0 status event from before the optional fields still projects", async () => {
    await reset();
    await projector.project([crash(1, "1"), { ...status(2, "resolved"), payload: { ingestId: id("9000"), groupId: GROUP, status: "resolved", occurredAt: at(2) } }]);
    expect((await outcome()).group).toMatchObject({ status: "resolved" });
  });

  test("a regression during a rebuild (tables emptied, everything replayed) raises no second alert", async () => {
    await reset();
    const events = [crash(1, "1.0"), status(2, "resolved"), crash(3, "1.1")];
    await projector.project(events);
    const before = await database.sql`select id, kind from crash_alerts order by id`;
    expect(before.map((a) => a.kind)).toEqual(["new_group", "regression"]);
    await database.sql.unsafe(`truncate ${PROJECTION_TABLES.join(", ")}`); // what --rebuild does
    for (const e of events) await projector.project([e]);
    expect((await outcome()).group).toMatchObject({ status: "regressed" });
    expect([...(await database.sql`select id, kind from crash_alerts order by id`)]).toEqual([...before]);
  });
});

describe("deleting a group", () => {
  test("its crashes up to the deletion stay gone in every order; a later crash starts it again, counted alone", async () => {
    const events = [crash(1, "1"), crash(2, "1"), status(3, "resolved"), deletion(5), crash(9, "2")];
    await sameInEveryOrder(events, { status: "new", occurrences: 1, releases: ["2"] }, null);
  }, 60_000);

  test("without a later crash the group and its crashes are gone", async () => {
    await reset();
    for (const e of [crash(1, "1"), deletion(5), crash(2, "1")]) await projector.project([e]);
    expect((await outcome()).group).toBeNull();
    expect((await database.sql`select count(*)::int as n from crashes`)[0]!.n).toBe(0);
  });
});
