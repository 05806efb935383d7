import { useState } from "preact/hooks";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { ReleaseHealthPanel } from "../components/ReleaseHealthPanel.tsx";
import { Sparkline } from "../components/Sparkline.tsx";
import { listCrashGroups, STATUS_LABELS, UNRESOLVED, type CrashGroup, type CrashStatus } from "../lib/crash-api.ts";
import { formatAgo, formatDate, formatInteger } from "../lib/format.ts";
import { downloadCsv, query } from "../lib/query.ts";
import type { QueryBody } from "../lib/types.ts";
import { useAsync } from "../lib/use-async.ts";
import type { ViewState } from "../lib/view-state.ts";

const STATUS_FILTERS = [
  ["unresolved", "Unresolved"],
  ["all", "All"],
  ["new", "New"],
  ["ongoing", "Ongoing"],
  ["regressed", "Regressed"],
  ["resolved", "Resolved"],
  ["ignored", "Ignored"],
] as const;

/**
 * Crash groups of the site (status, counts, first and last seen, releases, a daily sparkline),
 * release health (crash-free sessions per release, when an SDK reports sessions) and crashes per
 * release.
 */
export function CrashesTab({ site, base }: { site: string; view: ViewState; base: QueryBody }) {
  const [status, setStatus] = useState<string>("unresolved");
  const statuses: CrashStatus[] | null = status === "unresolved" ? UNRESOLVED : status === "all" ? null : [status as CrashStatus];
  const groups = useAsync(`groups:${site}:${status}`, (signal) => listCrashGroups(site, statuses, signal));
  const dailyBody: QueryBody = { site, metrics: ["crashes"], date_range: "30d", dimensions: ["crash_group", "time:day"] };
  const daily = useAsync(JSON.stringify(dailyBody), (signal) => query(dailyBody, signal));
  const series = sparklines(daily.data?.results ?? [], daily.data?.meta.date_range ?? []);
  const releasesBody: QueryBody = { ...base, metrics: ["crashes", "crash_visitors"], dimensions: ["release"], filters: [], limit: 20 };
  const releases = useAsync(JSON.stringify(releasesBody), (signal) => query(releasesBody, signal));
  return (
    <>
      <section class="card" aria-labelledby="groups-title">
        <div class="card-head">
          <h2 id="groups-title">Crash groups</h2>
          <label class="field-inline">
            Status{" "}
            <select value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)} data-testid="crash-status-filter">
              {STATUS_FILTERS.map(([id, label]) => (
                <option value={id} key={id}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        </div>
        {groups.error ? (
          <ErrorNote error={groups.error} what="crash groups" />
        ) : groups.data && groups.data.length === 0 ? (
          <p class="empty">
            {status === "unresolved" ? "No unresolved crashes. " : "No crash groups with this status. "}
            The snippet reports uncaught errors on its own; apps send them with a Sentry SDK pointed at this server (the DSN is in <a href="/settings">Settings</a>).
          </p>
        ) : (
          <div class="table-wrap">
            <table class="crash-table">
              <thead>
                <tr>
                  <th scope="col">Error</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="num">
                    Occurrences
                  </th>
                  <th scope="col" class="num">
                    Affected visitors
                  </th>
                  <th scope="col">First seen</th>
                  <th scope="col">Last seen</th>
                  <th scope="col">Releases</th>
                  <th scope="col">30 days</th>
                </tr>
              </thead>
              <tbody>
                {(groups.data ?? []).map((g) => (
                  <GroupRow key={g.id} site={site} g={g} daily={series.get(g.id) ?? []} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <ReleaseHealthPanel site={site} dateRange={base.date_range} />
      <section class="card" aria-labelledby="releases-title">
        <div class="card-head">
          <h2 id="releases-title">Crashes per release</h2>
          {(releases.data?.results.length ?? 0) > 0 && (
            <button type="button" class="link-button" onClick={() => downloadCsv(releasesBody, `${site}-crashes-per-release.csv`)}>
              Export CSV
            </button>
          )}
        </div>
        {releases.error ? (
          <ErrorNote error={releases.error} what="crashes per release" />
        ) : releases.data?.results.length === 0 ? (
          <p class="empty">No crashes in this range.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Release</th>
                <th scope="col" class="num">
                  Crashes
                </th>
                <th scope="col" class="num">
                  Affected visitors
                </th>
              </tr>
            </thead>
            <tbody>
              {(releases.data?.results ?? []).map((r) => (
                <tr key={String(r.dimensions[0])}>
                  <th scope="row">{r.dimensions[0] ?? "(no release)"}</th>
                  <td class="num">{formatInteger(r.metrics[0] ?? 0)}</td>
                  <td class="num">{formatInteger(r.metrics[1] ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function GroupRow({ site, g, daily }: { site: string; g: CrashGroup; daily: number[] }) {
  return (
    <tr data-testid="crash-group-row" data-group={g.id}>
      <th scope="row" class="crash-title">
        <a href={`/sites/${encodeURIComponent(site)}/crashes/${encodeURIComponent(g.id)}`}>
          <strong>{g.errorType}</strong>
          <span class="crash-message">{g.message}</span>
        </a>
      </th>
      <td>
        <span class={`status status-${g.status}`} data-testid="crash-status">
          {STATUS_LABELS[g.status] ?? g.status}
        </span>
      </td>
      <td class="num">{formatInteger(g.occurrences)}</td>
      <td class="num">{formatInteger(g.affectedVisitors)}</td>
      <td title={g.firstSeen}>{formatDate(g.firstSeen)}</td>
      <td title={g.lastSeen}>{formatAgo(g.lastSeen)}</td>
      <td class="releases">{g.releases.slice(-3).join(", ") || "–"}</td>
      <td>
        <Sparkline values={daily} label={`Crashes per day over 30 days: ${daily.reduce((a, b) => a + b, 0)} in total`} width={90} height={22} />
      </td>
    </tr>
  );
}

/** Per group, crashes per day over the range (the API leaves out days without crashes). */
function sparklines(rows: { dimensions: (string | null)[]; metrics: number[] }[], range: string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const [from, to] = range;
  if (!from || !to) return out;
  const days: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) days.push(d.toISOString().slice(0, 10));
  const index = new Map(days.map((d, i) => [d, i]));
  for (const r of rows) {
    const [group, day] = r.dimensions;
    if (!group || !day) continue;
    const series = out.get(group) ?? days.map(() => 0);
    const i = index.get(day.slice(0, 10));
    if (i !== undefined) series[i] = r.metrics[0] ?? 0;
    out.set(group, series);
  }
  return out;
}
