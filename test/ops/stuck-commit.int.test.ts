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

function pageview(pathname: string) {
  return fetch(`${server!.url}/api/pageview`, {
    method: "POST",
    headers: { "content-type": "text/plain", "user-agent": CHROME_UA, origin: "https://example.com" },
    body: JSON.stringify({ pathname }),
    signal: AbortSignal.timeout(5000),
  });
}

test("a commit stuck far past its deadline is left behind: the next one tries another connection, and neither stores anything late", async () => {
  server = await startServerProcess(slot, { EVENTLOG_COMMIT_TIMEOUT_MS: "500", RATE_LIMIT_RPS: "0" });
  expect((await pageview("/before")).status).toBe(202);

  signalPostgres(slot.dataDir, "SIGSTOP");
  frozen = true;
  try {
    expect((await pageview("/stuck/1")).status).toBe(503);
    await until(() => server!.output().includes("an event-log commit is stuck far past its deadline"), "the stuck commit to be left behind", 10_000, 50);
    // A new batch on another pool connection: it cannot commit either, and says so in time.
    const res = await pageview("/stuck/2");
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe("unavailable");
  } finally {
    signalPostgres(slot.dataDir, "SIGCONT");
    frozen = false;
  }

  await until(async () => (await pageview("/after")).status === 202, "ingest to recover", 20_000, 50);
  const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${slot.pgPort}/analytics`, { max: 1, onnotice: () => {} });
  try {
    // Both stuck statements ran once the database resumed, past their deadlines: no rows.
    await until(
      async () =>
        (await sql`select count(*)::int as n from pg_stat_activity where query like '%pg_advisory_xact_lock%' and state = 'active' and pid <> pg_backend_pid()`)[0]!.n === 0,
      "the stuck statements to finish",
      10_000,
    );
    const [log] = await sql`select count(*)::int as n from event_log where payload->>'pathname' like '/stuck/%'`;
    expect(log!.n).toBe(0);
  } finally {
    await sql.end();
  }
  expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(/^analytics_eventlog_late_commits_total 0$/m);
}, 60_000);
