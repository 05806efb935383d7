import type { Tx } from "../../db/client.ts";
import { pageviews } from "../../db/schema.ts";
import type { PageviewTracked } from "../contracts/index.ts";
import { insertRecords } from "./insert-records.ts";
import { rowMapper } from "./row-mapper.ts";

const toRow = rowMapper(pageviews);

/** Projects page views into `pageviews`, one row per ingest id; replays are no-ops. */
export async function projectPageviews(sql: Tx, events: PageviewTracked[]): Promise<number> {
  if (events.length === 0) return 0;
  return insertRecords(sql, "pageviews", events.map(toRow));
}
