import type { Metric } from "./shape.ts";
import type { Sums } from "./sql-parts.ts";

const round = (x: number, places: number) => {
  const f = 10 ** places;
  return Math.round(x * f) / f;
};

/**
 * A metric's value from a group's sums. The formulas (docs/query.md):
 *   views_per_visit = pageviews / visits (2 decimals); bounce_rate = 100 × bounces / visits
 *   (whole percent); visit_duration = mean visit length in whole seconds; percentage = 100 ×
 *   visitors / the visitors of the whole query without its dimensions (1 decimal);
 *   conversion_rate = 100 × visitors / the visitors without the event filters and dimensions
 *   (2 decimals). Ratios of nothing are 0.
 */
export function metricValue(m: Metric, s: Sums, total: number | null, denominator: number | null): number {
  switch (m) {
    case "visitors":
      return s.visitors;
    case "visits":
      return s.visits;
    case "pageviews":
      return s.pageviews;
    case "events":
      return s.events;
    case "views_per_visit":
      return s.visits ? round(s.pageviews / s.visits, 2) : 0;
    case "bounce_rate":
      return s.visits ? Math.round((100 * s.bounces) / s.visits) : 0;
    case "visit_duration":
      return s.visits ? Math.round(s.durationMs / s.visits / 1000) : 0;
    case "percentage":
      return total ? round((100 * s.visitors) / total, 1) : 0;
    case "conversion_rate":
      return denominator ? round((100 * s.visitors) / denominator, 2) : 0;
    default:
      return 0;
  }
}

/** Change against the previous period: points for rates, percent for counts, null from zero. */
export function change(m: Metric, now: number, before: number): number | null {
  if (m === "bounce_rate" || m === "conversion_rate" || m === "percentage") return round(now - before, 2);
  if (before === 0) return now === 0 ? 0 : null;
  return Math.round(((now - before) / before) * 100);
}

export const ZERO: Sums = { visitors: 0, visits: 0, pageviews: 0, bounces: 0, durationMs: 0, events: 0 };
