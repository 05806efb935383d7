/**
 * The site dashboard's panels, as data: each tab is a Stats API breakdown (a dimension and the
 * metrics its list and details show). A new breakdown is one line here.
 */
export interface PanelTab {
  label: string;
  dimension: string;
  /**
   * The list's metrics: the first ranks the rows and draws the bar. `percentage` is worked out
   * in the browser from the top stats' visitors (the same total the API would use), which saves
   * the server one total query per panel.
   */
  metrics: string[];
  /** Extra columns of the details view. */
  details: string[];
  /** The heading of the number column. */
  unit: string;
}
export interface PanelDef {
  id: string;
  title: string;
  tabs: PanelTab[];
}

const VISIT_DETAILS = ["visitors", "visits", "pageviews", "bounce_rate", "visit_duration"];
const tab = (label: string, dimension: string, extra: Partial<PanelTab> = {}): PanelTab => ({
  label,
  dimension,
  metrics: ["visitors", "percentage"],
  details: VISIT_DETAILS,
  unit: "Visitors",
  ...extra,
});

export const PANELS: PanelDef[] = [
  {
    id: "sources",
    title: "Top sources",
    tabs: [
      tab("Channels", "channel"),
      tab("Sources", "source"),
      tab("Referrers", "referrer"),
      tab("UTM source", "utm_source"),
      tab("UTM medium", "utm_medium"),
      tab("UTM campaign", "utm_campaign"),
    ],
  },
  {
    id: "pages",
    title: "Top pages",
    tabs: [tab("Pages", "page", { details: ["visitors", "pageviews"] }), tab("Entry pages", "entry_page"), tab("Exit pages", "exit_page")],
  },
  { id: "locations", title: "Locations", tabs: [tab("Countries", "country")] },
  { id: "devices", title: "Devices", tabs: [tab("Devices", "device"), tab("Browsers", "browser"), tab("Operating systems", "os")] },
  {
    id: "goals",
    title: "Goals and events",
    tabs: [tab("Goals", "event", { metrics: ["visitors", "conversion_rate"], details: ["visitors", "events", "conversion_rate"], unit: "Uniques" })],
  },
];

/** The graph's selectable metrics (the top stats). */
export const TOP_STATS = ["visitors", "visits", "pageviews", "views_per_visit", "bounce_rate", "visit_duration"];
