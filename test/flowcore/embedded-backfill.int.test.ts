import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { backfill } from "../../src/cli/replay-log.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres.ts";
import { count, crash, customEvent, ingest, pageview, waitFor } from "./helpers.ts";

/**
 * Embedded mode: `bun flowcore:backfill` replays the local event log through the same handlers,
 * next to a running server (its delivery loop keeps going), and never double-counts.
 */
const repo = new URL("../../", import.meta.url).pathname;
// More than 10 events, so seq values of different lengths (9 vs 10) must still replay in order.
const requests = [...Array.from({ length: 12 }, (_, i) => pageview(i + 1)), customEvent(1), customEvent(2), crash(1), crash(2), crash(3)];
const N = requests.length;
let db: TestDatabase;
let t: TestApp;

beforeAll(async () => {
  db = await createTestDatabase("backfill");
  t = await startTestApp({ db, env: { RATE_LIMIT_RPS: "0", LOG_LEVEL: "warn" } });
  await ingest(t, requests);
  await waitFor("the delivery loop projected everything", async () => (await projected()) === N);
});
afterAll(async () => {
  await t.stop();
  await db.drop();
});

const projected = async () => (await count(t.sql, "pageviews")) + (await count(t.sql, "custom_events")) + (await count(t.sql, "crashes"));
const groups = () => t.sql`select id, occurrences, affected_visitors, releases from crash_groups order by id`;
const emptyTables = () => t.sql`truncate pageviews, custom_events, crashes, crash_groups`;
const replay = (rebuild = false) => backfill({ sql: t.runtime.deps.database.sql, projector: t.runtime.deps.projector, schemaReady: async () => true, rebuild, batchSize: 4 });

/**
 * A CLI command as a user runs it, against this database, while the server runs. Asynchronous on
 * purpose: a blocking spawn would freeze this process's delivery loop mid-transaction, and a
 * command waiting on that transaction's locks would then wait forever.
 */
async function run(script: string, ...args: string[]) {
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", DATABASE_URL: db.url };
  const p = Bun.spawn([process.execPath, "run", script, ...args], { cwd: repo, env, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, out: out + err };
}
const cli = (...args: string[]) => run("src/cli/flowcore.ts", ...args);

describe("embedded backfill", () => {
  test("N events → projection rows dropped → backfill → N rows; again → still N; crash groups unchanged", async () => {
    const before = await groups();
    expect(before.length).toBe(1);
    await emptyTables();
    expect(await projected()).toBe(0);

    const first = await replay();
    expect(first).toEqual({
      events: N,
      written: {
        pageview: 12,
        custom_event: 2,
        crash: 3,
        crash_status: 0,
        crash_delete: 0,
        feedback: 0,
        feedback_status: 0,
        feedback_note: 0,
        feedback_delete: 0,
        sessions: 0,
        web_vitals: 0,
      },
      rejected: 0,
    });
    expect(await projected()).toBe(N);
    expect(await groups()).toEqual(before);

    const second = await replay();
    expect(second).toEqual({
      events: N,
      written: {
        pageview: 0,
        custom_event: 0,
        crash: 0,
        crash_status: 0,
        crash_delete: 0,
        feedback: 0,
        feedback_status: 0,
        feedback_note: 0,
        feedback_delete: 0,
        sessions: 0,
        web_vitals: 0,
      },
      rejected: 0,
    });
    expect(await projected()).toBe(N);
    expect(await groups()).toEqual(before);
  });

  test("bun flowcore:backfill (a separate process, server running): final count, N rows; twice → still N", async () => {
    const before = await groups();
    await emptyTables();
    const r = await cli("backfill");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Backfill complete: replayed ${N} events`);
    expect(r.out).toContain("Backfill: 100%");
    expect(await projected()).toBe(N);
    expect((await cli("backfill")).out).toContain("new rows: 0 page views, 0 custom events, 0 crashes");
    expect(await projected()).toBe(N);
    expect(await groups()).toEqual(before);
  }, 30_000);

  test("--rebuild empties the projection tables first, then replays: counters are rebuilt, not added to", async () => {
    const before = await groups();
    await t.sql`update crash_groups set occurrences = occurrences + 100`; // drifted counters get fixed
    await t.sql`insert into pageviews select (md5(random()::text))::uuid, site, pathname, referrer, referrer_host, referrer_source, browser, browser_version, os, os_version, device_type, visitor_hash, occurred_at from pageviews limit 1`;
    // Not a terminal and no --yes: it says what it would erase, and erases nothing.
    const refused = await cli("backfill", "--rebuild");
    expect(refused.code).toBe(1);
    expect(refused.out).toContain("--rebuild erases every row of pageviews, visits, rollups_daily, rollups_filtered, sealed_days, custom_events, crashes, crash_groups");
    expect(refused.out).toContain("Run again with --yes");
    const [drifted] = await t.sql`select sum(occurrences)::int as n from crash_groups`;
    expect(drifted!.n).toBe(before.reduce((n, g) => n + (g.occurrences as number), 0) + 100 * before.length);
    const r = await cli("backfill", "--rebuild", "--yes");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`replayed ${N} events`);
    expect(await projected()).toBe(N);
    expect(await groups()).toEqual(before);
  }, 30_000);

  test("triage survives --rebuild: a status change is an event, replayed like any other", async () => {
    const [g] = await groups();
    const triage = (status: string) => run("src/cli/crash.ts", "status", g!.id as string, status);
    const r = await triage("resolved");
    expect(r.out).toContain("new → resolved");
    expect(r.code).toBe(0);
    expect((await triage("ignored")).code).toBe(0);
    expect((await triage("bogus")).code).toBe(2);
    const status = async () => (await t.sql`select status from crash_groups where id = ${g!.id as string}`)[0]!.status;
    expect(await status()).toBe("ignored");
    // The CLI projected its decisions itself; the server's delivery loop applies them again (a
    // no-op) when it polls. Let it finish first, or it could land in the middle of the rebuild.
    await waitFor("the server's delivery caught up", async () => {
      const [r] = await t.sql`select (select max(seq) from event_log) = (select position from projection_cursor where name = 'embedded') as done`;
      return r!.done === true;
    });
    const rebuilt = await cli("backfill", "--rebuild", "--yes");
    expect(rebuilt.code).toBe(0);
    // Both decisions replay; the later one wins, so one group changes.
    expect(rebuilt.out).toContain("3 crashes, 1 status change");
    expect(await status()).toBe("ignored");
  }, 30_000);

  test("events appended while the server runs are projected once, by whichever gets there first", async () => {
    await ingest(t, [pageview(10), crash(10)]);
    await replay();
    await waitFor("delivery caught up", async () => (await projected()) === N + 2);
    await replay();
    expect(await projected()).toBe(N + 2);
    const [g] = await t.sql`select sum(occurrences)::int as n from crash_groups`;
    expect(g!.n).toBe(4);
  }, 30_000);
});
