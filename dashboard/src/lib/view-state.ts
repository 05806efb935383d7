import type { Filter, FilterOp } from "./types.ts";

/**
 * What a site view shows, read from and written to the URL's query string:
 * `?period=30d&compare=1&metric=visitors&interval=day&f=is|country|DE&f=is|page|/blog`
 * (custom ranges: `period=custom&from=2026-11-01&to=2026-11-21`).
 */
export const PERIODS = [
  { id: "day", label: "Today" },
  { id: "7d", label: "Last 7 days" },
  { id: "30d", label: "Last 30 days" },
  { id: "month", label: "This month" },
  { id: "12mo", label: "Last 12 months" },
  { id: "all", label: "All time" },
  { id: "custom", label: "Custom range" },
] as const;
export type Period = (typeof PERIODS)[number]["id"];
export const INTERVALS = ["hour", "day", "week", "month"] as const;
export type Interval = (typeof INTERVALS)[number];
export const TAB_IDS = ["traffic", "crashes", "feedback"] as const;
export type Tab = (typeof TAB_IDS)[number];

export interface ViewState {
  period: Period;
  from: string | null;
  to: string | null;
  compare: boolean;
  metric: string;
  interval: Interval | null;
  filters: Filter[];
  tab: Tab;
}

const OPS: FilterOp[] = ["is", "is_not", "contains", "matches"];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function readView(p: URLSearchParams): ViewState {
  const period = (PERIODS.find((x) => x.id === p.get("period"))?.id ?? "30d") as Period;
  const from = DATE.test(p.get("from") ?? "") ? p.get("from") : null;
  const to = DATE.test(p.get("to") ?? "") ? p.get("to") : null;
  const filters: Filter[] = [];
  for (const f of p.getAll("f")) {
    const [op, dim, ...rest] = f.split("|");
    if (op && dim && rest.length && OPS.includes(op as FilterOp)) filters.push([op as FilterOp, dim, [rest.join("|")]]);
  }
  const interval = (INTERVALS as readonly string[]).includes(p.get("interval") ?? "") ? (p.get("interval") as Interval) : null;
  const tab = (TAB_IDS as readonly string[]).includes(p.get("tab") ?? "") ? (p.get("tab") as Tab) : "traffic";
  return {
    period: period === "custom" && (!from || !to) ? "30d" : period,
    from,
    to,
    compare: p.get("compare") === "1",
    metric: p.get("metric") ?? "visitors",
    interval,
    filters,
    tab,
  };
}

export function writeView(v: ViewState): string {
  const p = new URLSearchParams();
  if (v.tab !== "traffic") p.set("tab", v.tab);
  if (v.period !== "30d") p.set("period", v.period);
  if (v.period === "custom" && v.from && v.to) {
    p.set("from", v.from);
    p.set("to", v.to);
  }
  if (v.compare) p.set("compare", "1");
  if (v.metric !== "visitors") p.set("metric", v.metric);
  if (v.interval) p.set("interval", v.interval);
  for (const [op, dim, values] of v.filters) p.append("f", `${op}|${dim}|${values[0]}`);
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** The Stats API's date_range for a view. */
export function dateRange(v: ViewState): string | [string, string] {
  if (v.period === "custom" && v.from && v.to) return [v.from, v.to];
  return v.period;
}

/** The graph's default bucket for a period (the user may pick another). */
export function defaultInterval(v: ViewState): Interval {
  if (v.interval) return v.interval;
  if (v.period === "day") return "hour";
  if (v.period === "12mo" || v.period === "all") return "month";
  if (v.period === "custom" && v.from && v.to) {
    const days = (Date.parse(v.to) - Date.parse(v.from)) / 86_400_000;
    return days <= 1 ? "hour" : days > 120 ? "month" : "day";
  }
  return "day";
}

/** Adds a filter, replacing one on the same dimension (clicking another row switches). */
export function withFilter(v: ViewState, f: Filter): ViewState {
  return { ...v, filters: [...v.filters.filter((x) => x[1] !== f[1]), f] };
}
export function withoutFilter(v: ViewState, dim: string): ViewState {
  return { ...v, filters: v.filters.filter((x) => x[1] !== dim) };
}
