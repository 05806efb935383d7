/**
 * Core Web Vitals as the dashboard shows them: names, units and Google's thresholds
 * (web.dev/articles/vitals: "good" up to the first, "poor" above the second), applied to the
 * 75th percentile as Google does.
 */
export interface VitalDef {
  metric: "lcp_p75" | "inp_p75" | "cls_p75" | "fcp_p75" | "ttfb_p75";
  short: string;
  name: string;
  good: number;
  poor: number;
}

export const VITALS: VitalDef[] = [
  { metric: "lcp_p75", short: "LCP", name: "Largest Contentful Paint", good: 2500, poor: 4000 },
  { metric: "inp_p75", short: "INP", name: "Interaction to Next Paint", good: 200, poor: 500 },
  { metric: "cls_p75", short: "CLS", name: "Cumulative Layout Shift", good: 0.1, poor: 0.25 },
  { metric: "fcp_p75", short: "FCP", name: "First Contentful Paint", good: 1800, poor: 3000 },
  { metric: "ttfb_p75", short: "TTFB", name: "Time to First Byte", good: 800, poor: 1800 },
];

export type Rating = "good" | "warn" | "bad";

export function vitalRating(metric: string, value: number): Rating {
  const def = VITALS.find((v) => v.metric === metric);
  if (!def || value <= def.good) return "good";
  return value <= def.poor ? "warn" : "bad";
}

const ms = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const seconds = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const unitless = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 3 });

/** "180 ms", "2.40 s" (from 1 s), CLS "0.12". */
export function formatVital(metric: string, value: number): string {
  if (metric === "cls_p75") return unitless.format(value);
  const rounded = Math.round(value);
  return rounded >= 1000 ? `${seconds.format(rounded / 1000)} s` : `${ms.format(rounded)} ms`;
}
