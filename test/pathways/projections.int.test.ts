import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connectDatabase, type Database } from "../../src/db/client.ts";
import { lazyMigrator } from "../../src/db/migrate.ts";
import { createProjector, type Projector, type StoredEvent } from "../../src/pathways/projector.ts";
import { PROJECTION_TABLES } from "../../src/pathways/registry.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres.ts";

/**
 * Projections, spec style: given these events (as the log holds them), these rows. Each spec
 * starts from empty tables; `given` projects the events as separate deliveries, in order.
 */
let db: TestDatabase;
let database: Database;
let projector: Projector;
beforeAll(async () => {
  db = await createTestDatabase("projections");
  database = connectDatabase(db.url, { max: 2 });
  const migrator = lazyMigrator(database.sql, db.url);
  await migrator.ensure();
  projector = createProjector(database.sql, migrator.ensure);
});
afterAll(async () => {
  await database.close();
  await db.drop();
});

function given(...events: StoredEvent[]) {
  const ready = (async () => {
    await database.sql.unsafe(`truncate ${PROJECTION_TABLES.join(", ")}`);
    for (const e of events) await projector.project([e]);
  })();
  return {
    async then(table: string, columns: string[], rows: Record<string, unknown>[]) {
      await ready;
      const got = await database.sql.unsafe(`select ${columns.join(", ")} from ${table} order by ${columns[0]}`);
      expect([...got] as unknown[]).toEqual(rows);
    },
  };
}

const visit = (n: number, over: Record<string, unknown> = {}) => ({
  ingestId: `0190a6c4-0000-7000-8000-${String(n).padStart(12, "0")}`,
  site: "example.com",
  pathname: `/p${n}`,
  referrer: null,
  referrerHost: null,
  referrerSource: null,
  browser: "Firefox",
  browserVersion: "133",
  os: "Linux",
  osVersion: null,
  deviceType: "desktop",
  visitorHash: "0123456789abcdef0123456789abcdef".replace("0", String(n % 10)),
  occurredAt: `2026-05-04T10:00:0${n % 10}.000Z`,
  ...over,
});
// A .v0 payload exactly as an older version of the app stored it: it must keep projecting.
const pageview = (n: number): StoredEvent => ({
  flowType: "pageview.v0",
  eventType: "pageview.tracked.v0",
  payload: { ...visit(n), url: `https://example.com/p${n}`, title: null, utmSource: "news", utmMedium: null, utmCampaign: null, utmTerm: null, utmContent: null },
});
const customEvent = (n: number): StoredEvent => ({
  flowType: "custom-event.v0",
  eventType: "custom-event.tracked.v0",
  payload: { ...visit(n), eventName: "signup", properties: { plan: "pro", seats: 3 } },
});
const HASH = "a".repeat(64);
const crash = (n: number, visitor = n): StoredEvent => ({
  flowType: "crash.v0",
  eventType: "crash.reported.v0",
  payload: {
    ...visit(n, { visitorHash: String(visitor).padStart(32, "0") }),
    pathname: null,
    errorType: "TypeError",
    message: "x is undefined",
    frames: [],
    fingerprint: { version: "g1", hash: HASH },
    release: `1.${n}`,
    platform: null,
    osVersion: null,
    severity: "error",
    breadcrumbs: null,
    context: null,
  },
});
const statusChange = (n: number, status: string, groupId = `g1:${HASH}`): StoredEvent => ({
  flowType: "crash.v0",
  eventType: "crash-group.status-changed.v0",
  payload: { ingestId: `0190a6c4-0000-7000-9000-${String(n).padStart(12, "0")}`, groupId, status, occurredAt: "2026-05-05T10:00:00.000Z" },
});

describe("projections", () => {
  test("page view tracked → one pageviews row, columns derived from the payload", () =>
    given(pageview(1)).then(
      "pageviews",
      ["pathname", "url", "utm_source", "browser", "device_type"],
      [{ pathname: "/p1", url: "https://example.com/p1", utm_source: "news", browser: "Firefox", device_type: "desktop" }],
    ));

  test("the same event delivered twice → still one row", () =>
    given(pageview(1), pageview(1), pageview(2)).then("pageviews", ["pathname"], [{ pathname: "/p1" }, { pathname: "/p2" }]));

  test("custom event tracked → one custom_events row with its properties", () =>
    given(customEvent(3)).then("custom_events", ["event_name", "properties"], [{ event_name: "signup", properties: { plan: "pro", seats: 3 } }]));

  test("crashes of one group → one crash group counting occurrences, visitors and releases once each", () =>
    given(crash(1, 7), crash(2, 7), crash(3, 8), crash(3, 8)).then(
      "crash_groups",
      ["id", "occurrences", "affected_visitors", "releases", "status"],
      [{ id: `g1:${HASH}`, occurrences: 3, affected_visitors: 2, releases: ["1.1", "1.2", "1.3"], status: "new" }],
    ));

  test("status changes apply in log order: the last one wins", () =>
    given(crash(1), statusChange(1, "resolved"), statusChange(2, "ignored")).then("crash_groups", ["status"], [{ status: "ignored" }]));

  test("a status change for a group that does not exist writes nothing", () => given(statusChange(3, "resolved", `g1:${"b".repeat(64)}`)).then("crash_groups", ["id"], []));

  // Events stored before referrers were cleaned carry the full URL; the projection cleans them again.
  const oldReferrer = (n: number, referrer: string, host: string): StoredEvent => {
    const e = pageview(n);
    return { ...e, payload: { ...(e.payload as object), referrer, referrerHost: host, referrerSource: host } };
  };

  test("an old event's referrer with an email in it projects without the email", () =>
    given(oldReferrer(4, "https://mail.example.org/u/jane.doe@example.com/inbox?x=1", "mail.example.org")).then(
      "pageviews",
      ["referrer", "referrer_host", "referrer_source"],
      [{ referrer: "https://mail.example.org/u/<email>/inbox", referrer_host: "mail.example.org", referrer_source: "mail.example.org" }],
    ));

  test("an old event's IP-address referrer keeps only <ip> as host and source", () =>
    given(oldReferrer(5, "http://203.0.113.9/admin/hosts", "203.0.113.9")).then(
      "pageviews",
      ["referrer", "referrer_host", "referrer_source"],
      [{ referrer: null, referrer_host: "<ip>", referrer_source: "<ip>" }],
    ));

  test("a referrer cleaned at ingest projects unchanged", () =>
    given(oldReferrer(6, "https://news.ycombinator.com/item", "news.ycombinator.com")).then(
      "pageviews",
      ["referrer", "referrer_host"],
      [{ referrer: "https://news.ycombinator.com/item", referrer_host: "news.ycombinator.com" }],
    ));
});
