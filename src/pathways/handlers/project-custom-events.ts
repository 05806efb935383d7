import type { Tx } from "../../db/client.ts";
import type { CustomEventTracked } from "../contracts/index.ts";
import { insertRecords } from "./insert-records.ts";
import { visitColumns } from "./visit-columns.ts";

/** Projects custom events into `custom_events`, one row per ingest id; replays are no-ops. */
export async function projectCustomEvents(sql: Tx, events: CustomEventTracked[]): Promise<number> {
  if (events.length === 0) return 0;
  const rows = events.map((e) => ({ ...visitColumns(e), event_name: e.eventName, properties: e.properties }));
  return insertRecords(sql, "custom_events", rows);
}
