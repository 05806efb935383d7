import { afterAll, expect, test } from "bun:test";
import postgres from "postgres";
import { CHROME_UA } from "../support/app.ts";
import { signalPostgres } from "../support/postgres-processes.ts";
import { serverSlot, startServerProcess, type ServerProcess } from "../support/server-process.ts";
import { until } from "../support/wait.ts";

const slot = serverSlot();
let server: ServerProcess | null = null;
let frozen = false;
afterAll(async () => {
  if (frozen) signalPostgres(slot.dataDir, "SIGCONT");
  if (server && server.proc.exitCode === null) {
    server.proc.kill("SIGTERM");
    await server.exited;
  }
}, 30_000);

const TIMEOUT_MS = 3000;

function pageview(pathname: string, limitMs = 8000) {
  return fetch(`${server!.url}/api/pageview`, {
    method: "POST",
    headers: { "content-type": "text/plain", "user-agent": CHROME_UA, origin: "https://example.com" },
    body: JSON.stringify({ pathname }),
    signal: AbortSignal.timeout(limitMs),
  });
}

test("a frozen database: requests get 503 unavailable at the deadline, later ones at once, and nothing answered 503 is stored", async () => {
  server = await startServerProcess(slot, { EVENTLOG_COMMIT_TIMEOUT_MS: String(TIMEOUT_MS), RATE_LIMIT_RPS: "0" });
  expect((await pageview("/before")).status).toBe(202);

  signalPostgres(slot.dataDir, "SIGSTOP");
  frozen = true;
  try {
    // Requests in flight when the database froze wait at most the deadline (plus grace).
    const first = await Promise.all(Array.from({ length: 20 }, (_, i) => pageview(`/frozen/a${i}`)));
    for (const res of first) {
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBeTruthy();
      expect((await res.json()).error.code).toBe("unavailable");
    }
    // Once a commit is stuck past its deadline, new requests fail fast instead of piling up: each
    // is answered before its own client gives up at the deadline (an abort would reject here).
    const second = await Promise.all(Array.from({ length: 50 }, (_, i) => pageview(`/frozen/b${i}`, TIMEOUT_MS)));
    expect(second.every((r) => r.status === 503)).toBe(true);
  } finally {
    signalPostgres(slot.dataDir, "SIGCONT");
    frozen = false;
  }

  // The database resumes: ingest recovers by itself, and the statements that reached it too late
  // inserted nothing, so every 503 told the truth.
  await until(async () => (await pageview("/after")).status === 202, "ingest to recover", 20_000, 50);
  const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${slot.pgPort}/analytics`, { max: 1, onnotice: () => {} });
  try {
    await until(async () => (await sql`select count(*)::int as n from pageviews where pathname = '/after'`)[0]!.n >= 1, "/after to be projected", 20_000);
    const [log] = await sql`select count(*)::int as n from event_log where payload::text like '%/frozen/%'`;
    expect(log!.n).toBe(0);
    const [rows] = await sql`select count(*)::int as n from pageviews where pathname like '/frozen/%'`;
    expect(rows!.n).toBe(0);
  } finally {
    await sql.end();
  }
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  expect(metrics).toMatch(/^analytics_eventlog_commit_timeouts_total (\d+)/m);
  expect(Number(/^analytics_eventlog_commit_timeouts_total (\d+)/m.exec(metrics)![1])).toBeGreaterThanOrEqual(70);
  expect(metrics).toMatch(/^analytics_eventlog_late_commits_total 0$/m);
}, 90_000);
