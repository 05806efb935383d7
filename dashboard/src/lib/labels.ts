/** Human names for the Stats API's metrics and dimensions, and for dimension values. */
export const METRIC_LABELS: Record<string, string> = {
  visitors: "Unique visitors",
  visits: "Total visits",
  pageviews: "Total page views",
  views_per_visit: "Views per visit",
  bounce_rate: "Bounce rate",
  visit_duration: "Visit duration",
  events: "Events",
  conversion_rate: "Conversion rate",
  percentage: "%",
  crashes: "Crashes",
  crash_visitors: "Affected visitors",
};

/** Metrics where a fall is good news (the change is coloured the other way). */
export const LOWER_IS_BETTER = new Set(["bounce_rate", "crashes", "crash_visitors"]);

export const DIMENSION_LABELS: Record<string, string> = {
  source: "Source",
  referrer: "Referrer",
  channel: "Channel",
  utm_source: "UTM source",
  utm_medium: "UTM medium",
  utm_campaign: "UTM campaign",
  utm_term: "UTM term",
  utm_content: "UTM content",
  page: "Page",
  entry_page: "Entry page",
  exit_page: "Exit page",
  country: "Country",
  device: "Device",
  browser: "Browser",
  browser_version: "Browser version",
  os: "Operating system",
  os_version: "OS version",
  event: "Goal",
};

export function dimensionLabel(dim: string): string {
  if (dim.startsWith("props:")) return `Property ${dim.slice(6)}`;
  return DIMENSION_LABELS[dim] ?? dim;
}

let regions: Intl.DisplayNames | null = null;
try {
  regions = new Intl.DisplayNames(undefined, { type: "region" });
} catch {
  regions = null;
}

/** How a dimension value reads: country codes as names, no value as what it means. */
export function valueLabel(dim: string, value: string | null): string {
  if (value === null || value === "") {
    if (dim === "source" || dim === "referrer" || dim === "channel") return "Direct / None";
    return "(not set)";
  }
  if (dim === "channel") return value.charAt(0).toUpperCase() + value.slice(1);
  if (dim === "country") {
    try {
      return regions?.of(value) ?? value;
    } catch {
      return value;
    }
  }
  return value;
}

const OP_LABELS: Record<string, string> = { is: "is", is_not: "is not", contains: "contains", matches: "matches" };
export const opLabel = (op: string) => OP_LABELS[op] ?? op;
