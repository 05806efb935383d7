import { afterAll, expect, test } from "bun:test";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/postgres.ts";

const db = await createTestDatabase("restart");
afterAll(() => db.drop());

async function burst(t: Awaited<ReturnType<typeof startTestApp>>, n: number, tag: string): Promise<number> {
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) => t.post("/api/pageview", { site: "example.com", pathname: `/${tag}/${i}` }, { ip: `10.0.${i % 250}.${i % 7}` }).then((r) => r.status)),
  );
  expect(results.every((s) => s === 202 || s === 503)).toBe(true);
  return results.filter((s) => s === 202).length;
}

test("restart while events are being delivered → every accepted event projected exactly once", async () => {
  // Instance A accepts a burst; while its delivery loop is projecting, its database sessions are
  // killed (a crash as Postgres sees it: the open delivery transaction rolls back) and it stops.
  const a = await startTestApp({ db });
  const inflight = burst(a, 600, "a");
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const [{ n }] = (await a.sql`select count(*)::int as n from pg_tables where tablename = 'pageviews'`) as unknown as [{ n: number }];
    if (n > 0 && (await a.sql`select count(*)::int as n from pageviews`)[0]!.n > 0) break;
    await Bun.sleep(2);
  }
  await a.sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${db.name} and application_name = 'private-analytics'`;
  const acceptedA = await inflight;
  await a.stop();

  // Instance B resumes from the stored cursor and takes more traffic.
  const b = await startTestApp({ db });
  try {
    const acceptedB = await burst(b, 200, "b");
    const accepted = acceptedA + acceptedB;
    expect(accepted).toBeGreaterThan(600);
    expect(await b.waitForRows("pageviews", accepted, 20_000)).toBe(accepted);
    const [log] = await b.sql`select count(*)::int as n from event_log`;
    expect(log!.n).toBe(accepted); // 202 ⇔ in the log
    const [dupes] = await b.sql`select count(*)::int as n from (select pathname from pageviews group by pathname having count(*) > 1) d`;
    expect(dupes!.n).toBe(0);
    const [missing] = await b.sql`select count(*)::int as n from event_log l left join pageviews p on p.id = l.ingest_id where p.id is null`;
    expect(missing!.n).toBe(0);
  } finally {
    await b.stop();
  }
});
