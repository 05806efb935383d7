import { afterAll, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedPostgres, type EmbeddedServer } from "../../src/db/embedded.ts";
import { silentLogger } from "../../src/log.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

// A Postgres of this test's own, so the test can stop and start it.
const dataDir = mkdtempSync(join(tmpdir(), "analytics-outage-"));
const port = 54350 + Math.floor(Math.random() * 40);
const startPg = () => startEmbeddedPostgres({ dataDir, port, log: silentLogger });
let pg: EmbeddedServer = await startPg();
let t: TestApp | null = null;
afterAll(async () => {
  await t?.stop().catch(() => {});
  await pg.stop();
}, 30_000);

/** Resolves with the response, or rejects if the request hangs past the deadline. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} hung for ${ms} ms`)), ms))]);
}

test("Postgres stops during ingest: 503 quickly, health says down, recovery by itself, no 202 lost", async () => {
  t = await startTestApp({ db: { url: pg.url, name: "analytics", drop: async () => {} } });
  const accepted: string[] = [];
  const send = async (i: number) => {
    const res = await t!.post("/api/pageview", { site: "example.com", pathname: `/o/${i}` }, { ip: `10.9.0.${i % 200}` });
    if (res.status === 202) accepted.push((await res.json()).id);
    return res;
  };
  for (let i = 0; i < 50; i++) expect((await send(i)).status).toBe(202);

  // Stop the database while a stream of requests is in flight.
  let i = 50;
  let flooding = true;
  const flood = (async () => {
    const statuses: number[] = [];
    while (flooding) statuses.push((await within(send(i++), 10_000, "ingest during the outage")).status);
    return statuses;
  })();
  await pg.stop();
  const during = await Promise.all(Array.from({ length: 20 }, () => within(send(i++), 10_000, "ingest while the database is down")));
  for (const res of during) {
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBeTruthy();
    expect((await res.json()).error.code).toBe("unavailable");
  }
  const health = await within(t.app.handle(new Request("http://localhost/healthz")), 10_000, "/healthz");
  expect(health.status).toBe(503);
  expect((await health.json()).components.database.status).toBe("down");
  flooding = false;
  const floodStatuses = await flood;
  expect(floodStatuses.every((s) => s === 202 || s === 503)).toBe(true);

  // The database returns; the service recovers without a restart.
  pg = await startPg();
  const deadline = Date.now() + 20_000;
  let status = 0;
  while (status !== 202 && Date.now() < deadline) status = (await send(i++)).status;
  expect(status).toBe(202);
  expect((await t.app.handle(new Request("http://localhost/healthz"))).status).toBe(200);

  // Every event that got a 202 — before, during and after the outage — is projected once.
  expect(await t.waitForRows("pageviews", accepted.length, 20_000)).toBe(accepted.length);
  const ids = (await t.sql`select id::text from pageviews`).map((r) => r.id).sort();
  expect(ids).toEqual([...accepted].sort());
}, 90_000);
