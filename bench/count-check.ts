import postgres from "postgres";

/**
 * Every 202 became exactly one row: after the load, wait until `pageviews` holds as many rows as
 * the app sent 202s (its own counter, analytics_events_ingested_total) and nothing moves any more,
 * then compare with what the load generator received. wrk stops reading at its deadline, so up
 * to one response per connection can be sent by the app yet never counted by wrk
 * (`maxUnread`); the Bun generator waits for every response, so there it must be 0.
 */
export interface CountCheck {
  passed: boolean;
  /** 202s the load generator received (warm-up included). */
  accepted: number;
  /** 202s the app sent. */
  serverAccepted: number;
  rows: number;
  unreadResponses: number;
  /** Requests the pipeline dropped (e.g. as bots): must be 0 for the load's browser UA. */
  dropped: number;
  /** From the end of the load until the rows matched the 202s. */
  catchUpMs: number;
  message: string;
}

async function metricSum(port: number, prefix: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text.split("\n").filter((l) => l.startsWith(prefix)).reduce((sum, l) => sum + Number(l.split(" ").pop()), 0);
}

export async function checkCounts(o: { appPort: number; dbUrl: string; accepted: number; loadEnded: number; maxUnread: number; timeoutMs?: number }): Promise<CountCheck> {
  const sql = postgres(o.dbUrl, { max: 1, onnotice: () => {} });
  let rows = 0;
  let serverAccepted = 0;
  let catchUpMs = NaN;
  try {
    const deadline = Date.now() + (o.timeoutMs ?? 120_000);
    for (let previous = -1; Date.now() < deadline; previous = serverAccepted, await Bun.sleep(20)) {
      serverAccepted = await metricSum(o.appPort, 'analytics_events_ingested_total{type="pageview"}');
      [{ n: rows }] = (await sql`select count(*)::int as n from pageviews`) as unknown as [{ n: number }];
      if (rows >= serverAccepted && Number.isNaN(catchUpMs)) catchUpMs = performance.now() - o.loadEnded;
      if (rows === serverAccepted && serverAccepted === previous) break; // settled: nothing in flight
    }
  } finally {
    await sql.end({ timeout: 1 });
  }
  const dropped = await metricSum(o.appPort, "analytics_events_dropped_total");
  const unread = serverAccepted - o.accepted;
  const passed = serverAccepted > 0 && rows === serverAccepted && dropped === 0 && unread >= 0 && unread <= o.maxUnread;
  const n = (x: number) => x.toLocaleString("en-US");
  const message =
    `${n(rows)} rows for ${n(serverAccepted)} 202s` +
    (unread ? `; ${n(unread)} of them sent as the generator stopped, unread` : "") +
    (dropped ? `; ${n(dropped)} dropped by the pipeline` : "");
  return { passed, accepted: o.accepted, serverAccepted, rows, unreadResponses: unread, dropped, catchUpMs, message };
}
