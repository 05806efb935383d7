import type { Sql } from "../../db/client.ts";
import type { CustomEventTracked } from "../contracts/index.ts";
import { visitColumns } from "./visit-columns.ts";

/** Projects custom events into `custom_events`, one row per ingest id; replays are no-ops. */
export async function projectCustomEvents(sql: Sql, events: CustomEventTracked[]): Promise<number> {
  if (events.length === 0) return 0;
  const rows = events.map((e) => ({ ...visitColumns(e), event_name: e.eventName, properties: sql.json(e.properties) }));
  const r = await sql`insert into custom_events ${sql(rows)} on conflict (id) do nothing`;
  return r.count;
}
