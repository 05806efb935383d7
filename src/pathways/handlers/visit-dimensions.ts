/**
 * The visit attributes kept in `visits` and rolled up per day: API dimension name → column.
 * Shared by the visits projection (which writes the rollups) and the query planner (which reads
 * them), so the two can never disagree on a dimension.
 */
export const VISIT_ATTRIBUTES = {
  entry_page: "entry_page",
  exit_page: "exit_page",
  source: "source",
  referrer: "referrer",
  channel: "channel",
  utm_source: "utm_source",
  utm_medium: "utm_medium",
  utm_campaign: "utm_campaign",
  utm_term: "utm_term",
  utm_content: "utm_content",
  country: "country",
  browser: "browser",
  browser_version: "browser_version",
  os: "os",
  os_version: "os_version",
  device: "device_type",
} as const;
export type VisitAttribute = keyof typeof VISIT_ATTRIBUTES;

/** The 30-minute rule: a gap longer than this between two events of a visitor starts a new visit. */
export const VISIT_GAP = "30 minutes";
export const VISIT_GAP_MS = 30 * 60_000;
