import { afterAll, expect, test } from "bun:test";
import postgres from "postgres";
import { CHROME_UA } from "../support/app.ts";
import { serverSlot, startServerProcess, type ServerProcess } from "../support/server-process.ts";
import { countRows } from "../support/count-rows.ts";
import { until } from "../support/wait.ts";

const slot = serverSlot();
let current: ServerProcess | null = null;
afterAll(async () => {
  if (current && current.proc.exitCode === null) {
    current.proc.kill("SIGTERM");
    await current.exited;
  }
}, 30_000);

test("SIGKILL under load: after a restart every event that got a 202 is projected exactly once", async () => {
  current = await startServerProcess(slot, { RATE_LIMIT_RPS: "0" });
  const url = current.url;
  const accepted = new Set<string>();
  let stop = false;
  let n = 0;
  // 16 concurrent senders keep the server busy until it is killed.
  const senders = Array.from({ length: 16 }, async () => {
    while (!stop) {
      const i = n++;
      try {
        const res = await fetch(`${url}/api/pageview`, {
          method: "POST",
          headers: { "content-type": "text/plain", "user-agent": CHROME_UA, origin: "https://example.com" },
          body: JSON.stringify({ pathname: `/k/${i}` }),
        });
        if (res.status === 202) accepted.add((await res.json()).id);
      } catch {
        return; // the server is gone
      }
    }
  });
  await until(() => accepted.size >= 300, "300 accepted page views", 20_000, 5);
  current.proc.kill("SIGKILL");
  expect(await current.exited).not.toBe(0);
  stop = true;
  await Promise.all(senders);
  expect(accepted.size).toBeGreaterThanOrEqual(300);

  // Restart on the same data directory: the orphaned embedded Postgres is adopted, the delivery
  // loop resumes from its stored cursor.
  current = await startServerProcess(slot, { RATE_LIMIT_RPS: "0" });
  const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${slot.pgPort}/analytics`, { max: 1, onnotice: () => {} });
  try {
    await until(
      async () => {
        const [projected, logged] = [await countRows(sql, "pageviews"), await countRows(sql, "event_log")];
        return projected >= logged && projected >= accepted.size;
      },
      "the restarted server to project every logged event",
      20_000,
    );
    const ids = new Set((await sql`select id::text from pageviews`).map((r) => r.id as string));
    for (const id of accepted) expect(ids.has(id)).toBe(true); // every 202 survived the kill
    const [dupes] = await sql`select count(*)::int as n from (select pathname from pageviews group by pathname having count(*) > 1) d`;
    expect(dupes!.n).toBe(0); // and none was projected twice
    expect(await countRows(sql, "pageviews")).toBe(await countRows(sql, "event_log"));
  } finally {
    await sql.end();
  }
  current.proc.kill("SIGTERM");
  expect(await current.exited).toBe(0);
}, 90_000);
