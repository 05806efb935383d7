import postgres from "postgres";

/**
 * Every 202 became exactly one row: after the load, wait until `pageviews` + `custom_events` hold
 * as many rows as the app sent 202s (its own counter, analytics_events_ingested_total) and
 * nothing moves any more, then compare with what the load generator received. wrk stops reading
 * at its deadline, so up to one response per connection can be sent by the app yet never counted
 * by wrk (`maxUnread`); the Bun generator waits for every response, so there it must be 0.
 * The traffic's crawlers are dropped as bots (200, not stored); any other drop fails the check.
 */
export interface CountCheck {
  passed: boolean;
  /** 202s the load generator received (warm-up included). */
  accepted: number;
  /** 202s the app sent. */
  serverAccepted: number;
  rows: number;
  unreadResponses: number;
  /** Requests the pipeline dropped as bots (the traffic's crawlers). */
  droppedBots: number;
  /** Requests the pipeline dropped for any other reason: must be 0. */
  droppedOther: number;
  /** 202s not yet projected when the load ended. */
  backlogAtEnd: number;
  /** From the end of the load until the rows matched the 202s. */
  catchUpMs: number;
  /** analytics_projection_lag_seconds once caught up. */
  lagSeconds: number;
  message: string;
}

async function metricLines(port: number): Promise<string[]> {
  return (await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).split("\n");
}
const sum = (lines: string[], match: (l: string) => boolean) => lines.filter(match).reduce((s, l) => s + Number(l.split(" ").pop()), 0);
const ACCEPTED = (l: string) => l.startsWith('analytics_events_ingested_total{type="pageview"}') || l.startsWith('analytics_events_ingested_total{type="custom_event"}');

export async function checkCounts(o: { appPort: number; dbUrl: string; accepted: number; loadEnded: number; maxUnread: number; timeoutMs?: number }): Promise<CountCheck> {
  const sql = postgres(o.dbUrl, { max: 1, onnotice: () => {} });
  const countRows = async () => {
    const [r] = (await sql`select (select count(*) from pageviews)::int + (select count(*) from custom_events)::int as n`) as unknown as [{ n: number }];
    return r.n;
  };
  let rows = await countRows();
  let lines = await metricLines(o.appPort);
  let serverAccepted = sum(lines, ACCEPTED);
  const backlogAtEnd = Math.max(0, serverAccepted - rows);
  let catchUpMs = NaN;
  try {
    const deadline = Date.now() + (o.timeoutMs ?? 120_000);
    for (let previous = -1; Date.now() < deadline; await Bun.sleep(20)) {
      rows = await countRows();
      lines = await metricLines(o.appPort);
      serverAccepted = sum(lines, ACCEPTED);
      if (rows >= serverAccepted && Number.isNaN(catchUpMs)) catchUpMs = performance.now() - o.loadEnded;
      if (rows === serverAccepted && serverAccepted === previous) break; // settled: nothing in flight
      previous = serverAccepted;
    }
  } finally {
    await sql.end({ timeout: 1 });
  }
  const lagSeconds = sum(lines, (l) => l.startsWith("analytics_projection_lag_seconds "));
  const droppedBots = sum(lines, (l) => l.startsWith("analytics_events_dropped_total{") && l.includes('reason="bot"'));
  const droppedOther = sum(lines, (l) => l.startsWith("analytics_events_dropped_total{") && !l.includes('reason="bot"'));
  const unread = serverAccepted - o.accepted;
  const passed = serverAccepted > 0 && rows === serverAccepted && droppedOther === 0 && unread >= 0 && unread <= o.maxUnread;
  const n = (x: number) => x.toLocaleString("en-US");
  const message =
    `${n(rows)} rows for ${n(serverAccepted)} 202s` +
    (unread ? `; ${n(unread)} of them sent as the generator stopped, unread` : "") +
    (droppedOther ? `; ${n(droppedOther)} dropped by the pipeline (not as bots)` : "");
  return { passed, accepted: o.accepted, serverAccepted, rows, unreadResponses: unread, droppedBots, droppedOther, backlogAtEnd, catchUpMs, lagSeconds, message };
}
