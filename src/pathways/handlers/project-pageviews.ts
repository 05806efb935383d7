import type { Tx } from "../../db/client.ts";
import { pageviews } from "../../db/schema.ts";
import type { PageviewTracked } from "../contracts/index.ts";
import { channelFor } from "./channel-for.ts";
import { insertReturningTimes } from "./insert-records.ts";
import { refreshVisits, storedRawEvents } from "./refresh-visits.ts";
import { rowMapper } from "./row-mapper.ts";

const toRow = rowMapper(pageviews);

/** A page view's `pageviews` row, with its channel (channel-for.ts). */
export function pageviewRow(e: PageviewTracked): Record<string, unknown> {
  return { ...toRow(e), channel: channelFor({ source: e.referrerSource, referrerHost: e.referrerHost, utmMedium: e.utmMedium, utmSource: e.utmSource }) };
}

/**
 * Projects page views into `pageviews`, one row per ingest id (replays are no-ops), then the
 * touched visitors' visits and the daily rollups in the same transaction. The channel is derived
 * here, so events from before it existed get one too.
 */
export async function projectPageviews(sql: Tx, events: PageviewTracked[]): Promise<number> {
  if (events.length === 0) return 0;
  // Only the rows inserted change visits: a replayed page view is already counted.
  const rows = events.map(pageviewRow);
  const stored = await insertReturningTimes(sql, pageviews, rows);
  await refreshVisits(sql, storedRawEvents(0, rows, stored));
  return stored.length;
}
