import type { Tx } from "../../db/client.ts";
import { webVitals } from "../../db/schema.ts";
import type { WebVitalsMeasured } from "../contracts/web-vitals.v0.ts";
import { insertRecords } from "./insert-records.ts";
import { rowMapper } from "./row-mapper.ts";

const toRow = rowMapper(webVitals);

/** Projects measurements into `web_vitals`, one row per ingest id; replays are no-ops. */
export async function projectWebVitals(sql: Tx, events: WebVitalsMeasured[]): Promise<number> {
  if (events.length === 0) return 0;
  return insertRecords(sql, "web_vitals", events.map(toRow));
}
