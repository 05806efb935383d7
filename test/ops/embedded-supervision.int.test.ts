import { afterAll, expect, test } from "bun:test";
import { totalmem } from "node:os";
import postgres from "postgres";
import { sharedBuffersMb } from "../../src/db/embedded.ts";
import { CHROME_UA } from "../support/app.ts";
import { postmasterPid } from "../support/postgres-processes.ts";
import { pidAlive, serverSlot, startServerProcess, type ServerProcess } from "../support/server-process.ts";
import { until } from "../support/wait.ts";

const slot = serverSlot();
let server: ServerProcess | null = null;
afterAll(async () => {
  if (server && server.proc.exitCode === null) {
    server.proc.kill("SIGTERM");
    await server.exited;
  }
}, 30_000);

function pageview(pathname: string) {
  return fetch(`${server!.url}/api/pageview`, {
    method: "POST",
    headers: { "content-type": "text/plain", "user-agent": CHROME_UA, origin: "https://example.com" },
    body: JSON.stringify({ pathname }),
    signal: AbortSignal.timeout(10_000),
  });
}

test("a killed embedded PostgreSQL is restarted: /healthz recovers, restarts are counted and logged, ingest resumes", async () => {
  server = await startServerProcess(slot, { RATE_LIMIT_RPS: "0" });
  expect((await pageview("/before")).status).toBe(202);

  const killed = postmasterPid(slot.dataDir);
  process.kill(killed, "SIGKILL");
  await until(() => !pidAlive(killed), "the postmaster to die", 5000);

  // The app is not restarted: the same process answers healthy again once PostgreSQL is back.
  await until(async () => (await fetch(`${server!.url}/healthz`)).status === 200, "/healthz to recover", 30_000, 100);
  expect(server.proc.exitCode).toBeNull();
  const restarted = postmasterPid(slot.dataDir);
  expect(restarted).not.toBe(killed);
  expect(pidAlive(restarted)).toBe(true);

  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  expect(metrics).toMatch(/^analytics_embedded_postgres_restarts_total 1$/m);
  expect(server.output()).toContain("embedded PostgreSQL stopped unexpectedly; restarting it");
  expect(server.output()).toContain('"msg":"embedded PostgreSQL restarted"');

  // Events accepted after the recovery are projected.
  await until(async () => (await pageview("/after")).status === 202, "ingest to accept events", 20_000, 100);
  const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${slot.pgPort}/analytics`, { max: 1, onnotice: () => {} });
  try {
    await until(async () => (await sql`select count(*)::int as n from pageviews where pathname = '/after'`)[0]!.n === 1, "/after to be projected", 20_000);
    expect((await sql`select pathname from pageviews order by pathname`).map((r) => r.pathname)).toEqual(["/after", "/before"]);
    // The restarted server runs with the embedded tuning too (its buffer cache sized to the machine).
    const [buffers] = await sql`select (setting::bigint * 8 / 1024)::int as mb from pg_settings where name = 'shared_buffers'`;
    expect(buffers!.mb).toBe(sharedBuffersMb(totalmem()));
  } finally {
    await sql.end();
  }

  // A clean shutdown stops the restarted server and does not restart it again.
  server.proc.kill("SIGTERM");
  expect(await server.exited).toBe(0);
  expect(pidAlive(restarted)).toBe(false);
  expect(server.output().match(/embedded PostgreSQL restarted"/g)?.length).toBe(1);
}, 90_000);

test("a server adopted from a killed run (not our child) is supervised too", async () => {
  const adoptSlot = serverSlot();
  const killedApp = await startServerProcess(adoptSlot, { RATE_LIMIT_RPS: "0" });
  killedApp.proc.kill("SIGKILL"); // its PostgreSQL keeps running, orphaned
  await killedApp.exited;
  const orphan = postmasterPid(adoptSlot.dataDir);
  expect(pidAlive(orphan)).toBe(true);

  server = await startServerProcess(adoptSlot, { RATE_LIMIT_RPS: "0" });
  expect(server.output()).toContain("embedded PostgreSQL already running; reusing it");
  process.kill(orphan, "SIGKILL");
  await until(() => !pidAlive(orphan), "the adopted postmaster to die", 5000);
  await until(
    async () => (await fetch(`${server!.url}/healthz`)).status === 200 && postmasterPid(adoptSlot.dataDir) !== orphan,
    "/healthz to recover on a new server",
    30_000,
    100,
  );
  await until(async () => /^analytics_embedded_postgres_restarts_total 1$/m.test(await (await fetch(`${server!.url}/metrics`)).text()), "the restart to be counted", 5000, 200);
  expect((await pageview("/adopted")).status).toBe(202);

  const restarted = postmasterPid(adoptSlot.dataDir);
  server.proc.kill("SIGTERM");
  expect(await server.exited).toBe(0);
  expect(pidAlive(restarted)).toBe(false);
}, 90_000);
