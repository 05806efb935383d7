import type { Tx } from "../../db/client.ts";
import { customEvents } from "../../db/schema.ts";
import type { CustomEventTracked } from "../contracts/index.ts";
import { insertRecords } from "./insert-records.ts";
import { rowMapper } from "./row-mapper.ts";

const toRow = rowMapper(customEvents);

/** Projects custom events into `custom_events`, one row per ingest id; replays are no-ops. */
export async function projectCustomEvents(sql: Tx, events: CustomEventTracked[]): Promise<number> {
  if (events.length === 0) return 0;
  return insertRecords(sql, "custom_events", events.map(toRow));
}
