import { formatDecimal, formatInteger, formatMetric, formatPercent } from "../lib/format.ts";
import { LOWER_IS_BETTER, METRIC_LABELS } from "../lib/labels.ts";
import { query } from "../lib/query.ts";
import type { QueryBody, QueryResult } from "../lib/types.ts";
import { useAsync, type Async } from "../lib/use-async.ts";
import { TOP_STATS } from "../panels.ts";
import { ErrorNote } from "./ErrorNote.tsx";

/** Rates change in percentage points, counts in percent (as the Stats API reports them). */
const RATES = new Set(["bounce_rate", "conversion_rate"]);

/** The top stats' query: every headline metric, compared with the previous period. */
export const topStatsQuery = (base: QueryBody): QueryBody => ({ ...base, metrics: TOP_STATS, compare: "previous_period" });

/**
 * The headline numbers of the range, each with its change against the previous period, and
 * the visitors of the last 5 minutes. A click on a number shows it in the graph.
 */
export function TopStats({ base, stats, selected, onSelect }: { base: QueryBody; stats: Async<QueryResult>; selected: string; onSelect: (m: string) => void }) {
  const realtime = useAsync(`rt:${base.site}`, (signal) => query({ site: base.site, metrics: ["visitors"], date_range: "realtime" }, signal), 30_000);
  const row = stats.data?.results[0];
  return (
    <section class="top-stats" aria-label="Top stats" aria-busy={stats.loading}>
      <div class="stat realtime" data-testid="stat-realtime">
        <span class="stat-label">
          <span class="pulse" aria-hidden="true" /> Visitors now
        </span>
        <span class="stat-value">{realtime.data ? formatInteger(realtime.data.results[0]?.metrics[0] ?? 0) : "–"}</span>
      </div>
      {TOP_STATS.map((m, i) => {
        const value = row?.metrics[i];
        const change = row?.comparison?.change[i] ?? null;
        const good = change === null || change === 0 ? "" : change > 0 !== LOWER_IS_BETTER.has(m) ? "up" : "down";
        return (
          <button type="button" key={m} class={`stat ${selected === m ? "selected" : ""}`} aria-pressed={selected === m} onClick={() => onSelect(m)} data-testid={`stat-${m}`}>
            <span class="stat-label">{METRIC_LABELS[m]}</span>
            <span class="stat-value" data-value={value ?? ""}>
              {value === undefined ? "–" : formatMetric(m, value)}
            </span>
            {change !== null && (
              <span class={`stat-change ${good}`} title="Change against the previous period of the same length">
                {change > 0 ? "↑" : change < 0 ? "↓" : ""} {RATES.has(m) ? `${formatDecimal(Math.abs(change))} pts` : formatPercent(Math.abs(change))}
              </span>
            )}
          </button>
        );
      })}
      {stats.error && <ErrorNote error={stats.error} what="the top stats" />}
    </section>
  );
}
