import type { Tx } from "../../db/client.ts";
import { customEvents } from "../../db/schema.ts";
import type { CustomEventTracked } from "../contracts/index.ts";
import { channelFor } from "./channel-for.ts";
import { insertReturningTimes } from "./insert-records.ts";
import { refreshVisits, storedRawEvents } from "./refresh-visits.ts";
import { rowMapper } from "./row-mapper.ts";

const toRow = rowMapper(customEvents);

/**
 * Projects custom events into `custom_events`, one row per ingest id (replays are no-ops), then
 * the touched visitors' visits and the daily rollups in the same transaction.
 */
export async function projectCustomEvents(sql: Tx, events: CustomEventTracked[]): Promise<number> {
  if (events.length === 0) return 0;
  const rows = events.map((e) => ({ ...toRow(e), channel: channelFor({ source: e.referrerSource, referrerHost: e.referrerHost }) }));
  // Only the rows inserted change visits: a replayed event is already counted.
  const stored = await insertReturningTimes(sql, customEvents, rows);
  await refreshVisits(sql, storedRawEvents(1, rows, stored));
  return stored.length;
}
