import { formatInteger } from "../lib/format.ts";
import { DIMENSION_LABELS } from "../lib/labels.ts";
import { downloadCsv, query } from "../lib/query.ts";
import type { Filter, QueryBody, QueryRow } from "../lib/types.ts";
import { useAsync } from "../lib/use-async.ts";
import { formatVital, VITALS, vitalRating } from "../lib/vitals.ts";
import { ErrorNote } from "./ErrorNote.tsx";

/** The dimensions Web Vitals can be filtered by (the Stats API answers 400 for others). */
const VITALS_FILTERS = new Set(["page", "browser", "os", "device"]);
const TOP = 10;
const METRICS = [...VITALS.map((v) => v.metric), "vitals_measurements"];

/**
 * Web Vitals per page: the 75th percentile of each metric, coloured by Google's thresholds, and
 * the page loads measured. Shown only once the site has ever reported a measurement.
 */
export function VitalsPanel({ base, onFilter }: { base: QueryBody; onFilter: (f: Filter) => void }) {
  const site = base.site;
  const ever = useAsync(`vitals-ever:${site}`, (signal) => query({ site, metrics: ["vitals_measurements"], date_range: "all" }, signal));
  const filters = (base.filters ?? []).filter((f) => VITALS_FILTERS.has(f[1]));
  const ignored = (base.filters ?? []).filter((f) => !VITALS_FILTERS.has(f[1]));
  const body: QueryBody = { site, metrics: METRICS, date_range: base.date_range, filters, dimensions: ["page"], order_by: [["vitals_measurements", "desc"]], limit: TOP };
  const totalBody: QueryBody = { site, metrics: METRICS, date_range: base.date_range, filters };
  const measured = (ever.data?.results[0]?.metrics[0] ?? 0) > 0;
  const pages = useAsync(measured ? JSON.stringify(body) : "none", (signal) => (measured ? query(body, signal) : Promise.resolve(null)));
  const total = useAsync(measured ? JSON.stringify(totalBody) : "none", (signal) => (measured ? query(totalBody, signal) : Promise.resolve(null)));
  if (ever.error) return <ErrorNote error={ever.error} what="Web Vitals" />;
  if (!measured) return null;
  const rows = pages.data?.results ?? [];
  const all = total.data?.results[0];
  return (
    <section class="card vitals" aria-labelledby="vitals-title" data-testid="panel-vitals" aria-busy={pages.loading || total.loading}>
      <div class="card-head">
        <h2 id="vitals-title">Web Vitals</h2>
        {rows.length > 0 && (
          <button type="button" class="link-button" onClick={() => downloadCsv({ ...body, limit: 10_000 }, `${site}-web-vitals.csv`)}>
            Export CSV
          </button>
        )}
      </div>
      {pages.error || total.error ? (
        <ErrorNote error={(pages.error ?? total.error)!} what="Web Vitals" />
      ) : pages.data && rows.length === 0 ? (
        <p class="empty">No page loads measured in this range{filters.length ? " with these filters" : ""}.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Page</th>
                {VITALS.map((v) => (
                  <th scope="col" class="num" key={v.metric}>
                    <abbr title={`${v.name}, 75th percentile`}>{v.short}</abbr>
                  </th>
                ))}
                <th scope="col" class="num">
                  Page loads
                </th>
              </tr>
            </thead>
            <tbody>
              {all && <VitalsRow row={all} label="All pages" testId="vitals-all" />}
              {rows.map((r) => (
                <VitalsRow key={String(r.dimensions[0])} row={r} label={r.dimensions[0] ?? "(none)"} page={r.dimensions[0]} onFilter={onFilter} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="hint">
        75th percentile of each page load's value: <span class="rating-good">good</span>, <span class="rating-warn">needs improvement</span>, <span class="rating-bad">poor</span>{" "}
        by Google's thresholds.
        {ignored.length > 0 && ` Filters on ${ignored.map((f) => DIMENSION_LABELS[f[1]] ?? f[1]).join(", ")} do not apply to Web Vitals.`}
      </p>
    </section>
  );
}

function VitalsRow({ row, label, page, testId, onFilter }: { row: QueryRow; label: string; page?: string | null; testId?: string; onFilter?: (f: Filter) => void }) {
  const measured = row.metrics[VITALS.length] ?? 0;
  return (
    <tr data-testid={testId ?? "vitals-row"} data-page={page ?? ""}>
      <th scope="row">
        {page && onFilter ? (
          <button type="button" class="link-button" title={`Filter by ${page}`} onClick={() => onFilter(["is", "page", [page]])}>
            {label}
          </button>
        ) : (
          <strong>{label}</strong>
        )}
      </th>
      {VITALS.map((v, i) => {
        const value = (row.metrics[i] as number | null | undefined) ?? null;
        return (
          <td key={v.metric} class={`num ${value === null ? "muted" : `rating-${vitalRating(v.metric, value)}`}`} data-metric={v.metric}>
            {value === null ? "–" : formatVital(v.metric, value)}
          </td>
        );
      })}
      <td class="num" data-metric="vitals_measurements">
        {formatInteger(measured)}
      </td>
    </tr>
  );
}
