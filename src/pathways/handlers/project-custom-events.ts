import type { Tx } from "../../db/client.ts";
import { customEvents } from "../../db/schema.ts";
import type { VisitRows } from "../contract.ts";
import type { CustomEventTracked } from "../contracts/index.ts";
import { channelFor } from "./channel-for.ts";
import { insertWithVisits } from "./refresh-visits.ts";
import { rowMapper, toMillisecond } from "./row-mapper.ts";

const toRow = rowMapper(customEvents);

/** A custom event's `custom_events` row, with its channel (channel-for.ts), its time to the millisecond. */
export function customEventRow(e: CustomEventTracked): Record<string, unknown> {
  return { ...toRow(e), occurred_at: toMillisecond(e.occurredAt), channel: channelFor({ source: e.referrerSource, referrerHost: e.referrerHost }) };
}

/** Custom events make visits: the projector inserts them with a batch's page views (refresh-visits.ts). */
export const customEventVisitRows: VisitRows<CustomEventTracked> = { kind: 1, table: customEvents, row: customEventRow };

/**
 * Projects custom events into `custom_events`, one row per ingest id (replays are no-ops), then
 * the touched visitors' visits and the daily rollups in the same transaction.
 */
export async function projectCustomEvents(sql: Tx, events: CustomEventTracked[]): Promise<number> {
  const [n] = await insertWithVisits(sql, [{ kind: 1, table: customEvents, rows: events.map(customEventRow) }]);
  return n!;
}
