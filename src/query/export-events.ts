import type { Sql } from "../db/client.ts";

const encoder = new TextEncoder();
const ROWS_PER_READ = 1000;

/**
 * A site's raw events between two local dates as JSON lines, oldest first: page views, custom
 * events and crashes, each line its table row plus `"type"`. Streamed through a cursor, so an
 * export of years holds one chunk in memory at a time; a client that hangs up stops the query.
 * Rows hold only what the pipeline stored: no IP address or user agent ever reaches them.
 */
export function exportEvents(sql: Sql, site: string, tz: string, from: string, to: string): ReadableStream<Uint8Array> {
  const range = (t: string) => `${t}.site = $1 and ${t}.occurred_at >= ($2::date::timestamp at time zone $4) and ${t}.occurred_at < (($3::date + 1)::timestamp at time zone $4)`;
  const text = `
    select line from (
      select p.occurred_at, (jsonb_build_object('type', 'pageview') || (to_jsonb(p) - 'projected_at'))::text as line from pageviews p where ${range("p")}
      union all
      select c.occurred_at, (jsonb_build_object('type', 'custom_event') || (to_jsonb(c) - 'projected_at'))::text from custom_events c where ${range("c")}
      union all
      select k.occurred_at, (jsonb_build_object('type', 'crash') || (to_jsonb(k) - 'projected_at'))::text from crashes k where ${range("k")}
    ) e order by occurred_at`;
  const rows = sql.unsafe(text, [site, from, to, tz]).cursor(ROWS_PER_READ)[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await rows.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode((next.value as unknown as { line: string }[]).map((r) => `${r.line}\n`).join("")));
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await rows.return?.();
    },
  });
}
