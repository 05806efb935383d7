import type { Tx } from "../../db/client.ts";
import type { PageviewTracked } from "../contracts/index.ts";
import { insertRecords } from "./insert-records.ts";
import { visitColumns } from "./visit-columns.ts";

/** Projects page views into `pageviews`, one row per ingest id; replays are no-ops. */
export async function projectPageviews(sql: Tx, events: PageviewTracked[]): Promise<number> {
  if (events.length === 0) return 0;
  const rows = events.map((e) => ({
    ...visitColumns(e),
    url: e.url,
    title: e.title,
    utm_source: e.utmSource,
    utm_medium: e.utmMedium,
    utm_campaign: e.utmCampaign,
    utm_term: e.utmTerm,
    utm_content: e.utmContent,
  }));
  return insertRecords(sql, "pageviews", rows);
}
