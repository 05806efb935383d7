import { afterAll, describe, expect, test } from "bun:test";
import type postgres from "postgres";
import { startTestApp, type TestApp } from "../support/app.ts";
import { startFakeFlowcore, type FakeFlowcore } from "../support/fake-flowcore.ts";
import { deliver, flowcoreEnv, waitFor } from "../flowcore/helpers.ts";

// Referrers as webmail, password-reset links and admin panels produce them.
const EMAIL = "jane.doe@example.com";
const TOKEN = "9f86d081884c7d659a2feaa0c55ad015";
const QUERY_SECRET = "s3cr3tQueryValue";
const PATH_IP = "203.0.113.9";
const HOST_IP = "198.18.7.42";
const REFERRERS = [
  `https://mail.example.org/u/${EMAIL}/inbox`,
  `https://mail.example.org/u/${encodeURIComponent(EMAIL)}/inbox#msg`,
  `https://app.example.net/reset/${TOKEN}?token=${QUERY_SECRET}`,
  `https://admin.example.com/hosts/${PATH_IP}/edit`,
  `http://${HOST_IP}:8080/dashboard`,
];
const SECRETS = [EMAIL, encodeURIComponent(EMAIL), "jane.doe", TOKEN, QUERY_SECRET, PATH_IP, HOST_IP];
const CLIENT_IP = "192.0.2.200";

async function send(t: TestApp) {
  for (const [i, referrer] of REFERRERS.entries()) {
    const pv = await t.post("/api/pageview", { site: "shop.example", pathname: `/p${i}`, referrer }, { ip: CLIENT_IP });
    expect(pv.status).toBe(202);
    const ev = await t.post("/api/event", { site: "shop.example", eventName: "signup", pathname: `/p${i}`, referrer }, { ip: CLIENT_IP });
    expect(ev.status).toBe(202);
  }
}

/** Every table of the database, as text. */
async function dumpAll(sql: postgres.Sql): Promise<string> {
  const tables = await sql`select schemaname, tablename from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`;
  expect(tables.map((r) => r.tablename)).toContain("pageviews");
  let dump = "";
  for (const { schemaname, tablename } of tables) dump += `${schemaname}.${tablename}: ${JSON.stringify(await sql.unsafe(`select * from "${schemaname}"."${tablename}"`))}\n`;
  return dump;
}

function expectNoSecrets(where: string, text: string) {
  for (const secret of SECRETS) expect({ where, leaked: text.includes(secret) ? secret : null }).toEqual({ where, leaked: null });
}

/** What is kept instead: the host and the cleaned path. */
async function expectCleanedRows(sql: postgres.Sql) {
  const rows = await sql`select pathname, referrer, referrer_host, referrer_source from pageviews order by pathname`;
  expect(rows.map((r) => [r.referrer, r.referrer_host, r.referrer_source])).toEqual([
    ["https://mail.example.org/u/<email>/inbox", "mail.example.org", "mail.example.org"],
    ["https://mail.example.org/u/<email>/inbox", "mail.example.org", "mail.example.org"],
    ["https://app.example.net/reset/<token>", "app.example.net", "app.example.net"],
    ["https://admin.example.com/hosts/<ip>/edit", "admin.example.com", "admin.example.com"],
    [null, "<ip>", "<ip>"],
  ]);
}

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

describe("referrers carrying an email, a token and an IP leave none of them anywhere", () => {
  test("embedded mode: every table (the event log included) and the logs", async () => {
    const t = await startTestApp();
    cleanup.push(() => t.stop());
    await send(t);
    expect(await t.waitForRows("pageviews", REFERRERS.length)).toBe(REFERRERS.length);
    expect(await t.waitForRows("custom_events", REFERRERS.length)).toBe(REFERRERS.length);
    await expectCleanedRows(t.sql);
    const dump = await dumpAll(t.sql);
    expect(dump).toContain("event_log");
    expectNoSecrets("database", dump);
    expectNoSecrets("logs", t.logs.join("\n"));
  });

  test("Flowcore mode: every payload sent to Flowcore, and the tables its deliveries fill", async () => {
    const fake: FakeFlowcore = await startFakeFlowcore();
    cleanup.push(() => fake.stop());
    const t = await startTestApp({ env: flowcoreEnv(fake, { LOG_LEVEL: "debug" }) });
    cleanup.push(() => t.stop());
    await send(t);
    const events = await fake.waitForEvents(REFERRERS.length * 2);
    await waitFor("the outbox forwarded", async () => (await t.sql`select count(*)::int as n from event_log where forwarded_at is null`)[0]!.n === 0);
    expect(fake.requests.length).toBeGreaterThan(0);
    expectNoSecrets("Flowcore requests", fake.requests.map((r) => r.body).join("\n"));

    expect((await deliver(t.app, events)).every((s) => s < 300)).toBe(true);
    expect(await t.waitForRows("pageviews", REFERRERS.length)).toBe(REFERRERS.length);
    await expectCleanedRows(t.sql);
    expectNoSecrets("database", await dumpAll(t.sql));
    expectNoSecrets("logs", t.logs.join("\n"));
  }, 30_000);
});
