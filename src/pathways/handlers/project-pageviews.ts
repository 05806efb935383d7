import type { Tx } from "../../db/client.ts";
import { pageviews } from "../../db/schema.ts";
import type { VisitRows } from "../contract.ts";
import type { PageviewTracked } from "../contracts/index.ts";
import { channelFor } from "./channel-for.ts";
import { insertWithVisits } from "./refresh-visits.ts";
import { rowMapper, toMillisecond } from "./row-mapper.ts";

const toRow = rowMapper(pageviews);

/** A page view's `pageviews` row, with its channel (channel-for.ts), its time to the millisecond. */
export function pageviewRow(e: PageviewTracked): Record<string, unknown> {
  return {
    ...toRow(e),
    occurred_at: toMillisecond(e.occurredAt),
    channel: channelFor({ source: e.referrerSource, referrerHost: e.referrerHost, utmMedium: e.utmMedium, utmSource: e.utmSource }),
  };
}

/** Page views make visits: the projector inserts them with a batch's custom events (refresh-visits.ts). */
export const pageviewVisitRows: VisitRows<PageviewTracked> = { kind: 0, table: pageviews, row: pageviewRow };

/**
 * Projects page views into `pageviews`, one row per ingest id (replays are no-ops), then the
 * touched visitors' visits and the daily rollups in the same transaction. The channel is derived
 * here, so events from before it existed get one too.
 */
export async function projectPageviews(sql: Tx, events: PageviewTracked[]): Promise<number> {
  const [n] = await insertWithVisits(sql, [{ kind: 0, table: pageviews, rows: events.map(pageviewRow) }]);
  return n!;
}
