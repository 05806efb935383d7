import { useState } from "preact/hooks";
import { formatMetric } from "../lib/format.ts";
import { METRIC_LABELS, valueLabel } from "../lib/labels.ts";
import { downloadCsv, query } from "../lib/query.ts";
import type { Filter, QueryBody, QueryRow } from "../lib/types.ts";
import { useAsync } from "../lib/use-async.ts";
import type { PanelDef, PanelTab } from "../panels.ts";
import { DetailsDialog } from "./DetailsDialog.tsx";
import { ErrorNote } from "./ErrorNote.tsx";

const TOP = 9;
/** Column headings that fit the narrow second column. */
const SHORT: Record<string, string> = { percentage: "%", conversion_rate: "CR", events: "Events" };

/** One panel of tabs, each a ranked list with bars; a row click filters the whole dashboard. */
export function Panel({ def, base, total, onFilter }: { def: PanelDef; base: QueryBody; total: number | null; onFilter: (f: Filter) => void }) {
  const [tabIndex, setTabIndex] = useState(0);
  const [details, setDetails] = useState(false);
  const tab = def.tabs[tabIndex]!;
  const body: QueryBody = { ...base, metrics: serverMetrics(tab.metrics), dimensions: [tab.dimension], limit: TOP };
  const list = useAsync(JSON.stringify(body), (signal) => query(body, signal));
  const rows = list.data?.results ?? [];
  const panelId = `panel-${def.id}`;
  return (
    <section class="card panel" aria-labelledby={`${panelId}-title`} data-testid={panelId} aria-busy={list.loading}>
      <div class="card-head">
        <h2 id={`${panelId}-title`}>{def.title}</h2>
        {def.tabs.length > 1 && (
          <div class="tabs" role="tablist" aria-label={def.title}>
            {def.tabs.map((t, i) => (
              <button type="button" role="tab" key={t.dimension} aria-selected={i === tabIndex} class={i === tabIndex ? "on" : ""} onClick={() => setTabIndex(i)}>
                {t.label}
              </button>
            ))}
          </div>
        )}
      </div>
      <div role="tabpanel">
        {list.error ? (
          <ErrorNote error={list.error} what={tab.label.toLowerCase()} />
        ) : list.data && rows.length === 0 ? (
          <p class="empty">
            No {tab.label.toLowerCase()} in this range{base.filters?.length ? " with these filters" : ""}.
          </p>
        ) : (
          <RankedList tab={tab} rows={withShares(tab.metrics, rows, total)} onFilter={onFilter} />
        )}
      </div>
      <div class="card-foot">
        {(list.data?.meta.total_rows ?? 0) > 0 && (
          <button type="button" class="link-button" onClick={() => setDetails(true)}>
            Details{list.data && list.data.meta.total_rows > TOP ? ` (${list.data.meta.total_rows})` : ""}
          </button>
        )}
        {rows.length > 0 && (
          <button type="button" class="link-button" onClick={() => downloadCsv({ ...body, metrics: tab.details, limit: 10_000 }, `${base.site}-${tab.dimension}.csv`)}>
            Export CSV
          </button>
        )}
      </div>
      {details && <DetailsDialog tab={tab} base={base} onFilter={onFilter} onClose={() => setDetails(false)} />}
    </section>
  );
}

/** The metrics asked of the server: `percentage` is added in the browser (withShares). */
export const serverMetrics = (metrics: string[]) => metrics.filter((m) => m !== "percentage");

/** Rows with `percentage` (visitors ÷ the range's visitors) put back where the tab lists it. */
export function withShares(metrics: string[], rows: QueryRow[], total: number | null): QueryRow[] {
  const at = metrics.indexOf("percentage");
  if (at < 0) return rows;
  return rows.map((r) => {
    const values = [...r.metrics];
    const visitors = values[0] ?? 0;
    values.splice(at, 0, total ? Math.round((1000 * visitors) / total) / 10 : Number.NaN);
    return { ...r, metrics: values };
  });
}

/** The rows with a bar as long as their share of the first row. */
export function RankedList({ tab, rows, onFilter }: { tab: PanelTab; rows: QueryRow[]; onFilter: (f: Filter) => void }) {
  const max = Math.max(1, ...rows.map((r) => r.metrics[0] ?? 0));
  const second = tab.metrics[1];
  return (
    <ol class="ranked">
      <li class="ranked-head" aria-hidden="true">
        <span>{tab.label}</span>
        <span>{tab.unit}</span>
        {second && <span>{SHORT[second] ?? METRIC_LABELS[second]}</span>}
      </li>
      {rows.map((r) => {
        const raw = r.dimensions[0] ?? null;
        const label = valueLabel(tab.dimension, raw);
        const value = r.metrics[0] ?? 0;
        const width = `${Math.max(1, (value / max) * 100).toFixed(1)}%`;
        const bar = <span class="bar" style={{ width }} aria-hidden="true" />;
        return (
          <li key={String(raw)} class="ranked-row" data-value={raw ?? ""}>
            {raw === null ? (
              <span class="ranked-label">
                {bar}
                <span class="ranked-text">{label}</span>
              </span>
            ) : (
              <button type="button" class="ranked-label" title={`Filter by ${label}`} onClick={() => onFilter(["is", tab.dimension, [raw]])}>
                {bar}
                <span class="ranked-text">{label}</span>
              </button>
            )}
            <span class="ranked-value" data-metric={tab.metrics[0]}>
              {formatMetric(tab.metrics[0]!, value)}
            </span>
            {second && <span class="ranked-share">{Number.isNaN(r.metrics[1]) ? "" : formatMetric(second, r.metrics[1] ?? 0)}</span>}
          </li>
        );
      })}
    </ol>
  );
}
