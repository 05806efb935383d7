import { formatInteger, formatPercent } from "../lib/format.ts";
import { downloadCsv, query } from "../lib/query.ts";
import type { QueryBody } from "../lib/types.ts";
import { useAsync } from "../lib/use-async.ts";
import { ErrorNote } from "./ErrorNote.tsx";

const METRICS = ["crash_free_rate", "sessions", "crashed_sessions", "errored_sessions"];

/**
 * Crash-free sessions per release (Sentry SDKs' sessions), from the Stats API. Shown only once
 * the project has ever reported a session: sites without an SDK that sends them never see it.
 */
export function ReleaseHealthPanel({ site, dateRange }: { site: string; dateRange: QueryBody["date_range"] }) {
  const ever = useAsync(`sessions-ever:${site}`, (signal) => query({ site, metrics: ["sessions"], date_range: "all" }, signal));
  const body: QueryBody = { site, metrics: METRICS, date_range: dateRange, dimensions: ["release"], order_by: [["sessions", "desc"]], limit: 20 };
  const hasSessions = (ever.data?.results[0]?.metrics[0] ?? 0) > 0;
  const rows = useAsync(hasSessions ? JSON.stringify(body) : "none", (signal) => (hasSessions ? query(body, signal) : Promise.resolve(null)));
  if (ever.error) return <ErrorNote error={ever.error} what="release health" />;
  if (!hasSessions) return null;
  const results = rows.data?.results ?? [];
  return (
    <section class="card" aria-labelledby="release-health-title" data-testid="release-health" aria-busy={rows.loading}>
      <div class="card-head">
        <h2 id="release-health-title">Release health</h2>
        {results.length > 0 && (
          <button type="button" class="link-button" onClick={() => downloadCsv(body, `${site}-release-health.csv`)}>
            Export CSV
          </button>
        )}
      </div>
      {rows.error ? (
        <ErrorNote error={rows.error} what="release health" />
      ) : rows.data && results.length === 0 ? (
        <p class="empty">No sessions in this range.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Release</th>
                <th scope="col">Crash-free sessions</th>
                <th scope="col" class="num">
                  Sessions
                </th>
                <th scope="col" class="num">
                  Crashed
                </th>
                <th scope="col" class="num">
                  Errored
                </th>
              </tr>
            </thead>
            <tbody>
              {results.map((r) => {
                const [rate, sessions, crashed, errored] = r.metrics;
                return (
                  <tr key={String(r.dimensions[0])} data-testid="release-health-row" data-release={r.dimensions[0] ?? ""}>
                    <th scope="row">{r.dimensions[0] ?? "(no release)"}</th>
                    <td data-metric="crash_free_rate">
                      <CrashFreeMeter rate={rate ?? null} />
                    </td>
                    <td class="num" data-metric="sessions">
                      {formatInteger(sessions ?? 0)}
                    </td>
                    <td class="num" data-metric="crashed_sessions">
                      {formatInteger(crashed ?? 0)}
                    </td>
                    <td class="num" data-metric="errored_sessions">
                      {formatInteger(errored ?? 0)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p class="hint">A session counts in the hour it started; errored sessions include the crashed ones.</p>
    </section>
  );
}

/** The rate as a number and a bar; below 99 % is a warning, below 95 % is bad (Sentry's usual bar). */
function CrashFreeMeter({ rate }: { rate: number | null }) {
  if (rate === null) return <span class="muted">–</span>;
  const level = rate >= 99 ? "good" : rate >= 95 ? "warn" : "bad";
  return (
    <span class={`meter meter-${level}`}>
      <span class="meter-value">{formatPercent(rate)}</span>
      <span class="meter-track" aria-hidden="true">
        <span class="meter-fill" style={{ width: `${Math.max(0, Math.min(100, rate))}%` }} />
      </span>
    </span>
  );
}
