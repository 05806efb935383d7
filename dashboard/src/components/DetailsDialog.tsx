import { useEffect, useRef, useState } from "preact/hooks";
import { formatMetric } from "../lib/format.ts";
import { METRIC_LABELS, valueLabel } from "../lib/labels.ts";
import { downloadCsv, query } from "../lib/query.ts";
import type { Filter, QueryBody } from "../lib/types.ts";
import { useAsync } from "../lib/use-async.ts";
import type { PanelTab } from "../panels.ts";
import { ErrorNote } from "./ErrorNote.tsx";

const PAGE = 20;

/** A breakdown in full: every metric, a search box (contains), pages of 20, CSV. */
export function DetailsDialog({ tab, base, onFilter, onClose }: { tab: PanelTab; base: QueryBody; onFilter: (f: Filter) => void; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(0);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const filters: Filter[] = [...(base.filters ?? []), ...(search.trim() ? [["contains", tab.dimension, [search.trim()]] as Filter] : [])];
  const body: QueryBody = { ...base, metrics: tab.details, dimensions: [tab.dimension], filters, limit: PAGE, offset: page * PAGE };
  const rows = useAsync(JSON.stringify(body), (signal) => query(body, signal));
  const total = rows.data?.meta.total_rows ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  return (
    <dialog ref={dialog} class="details" aria-labelledby="details-title" onClose={onClose}>
      <div class="card-head">
        <h2 id="details-title">{tab.label}</h2>
        <button type="button" class="button small" onClick={() => dialog.current?.close()} aria-label="Close">
          ×
        </button>
      </div>
      <div class="details-tools">
        <label>
          <span class="visually-hidden">Search {tab.label.toLowerCase()}</span>
          <input
            type="search"
            placeholder={`Search ${tab.label.toLowerCase()}`}
            value={search}
            onInput={(e) => {
              setSearch((e.target as HTMLInputElement).value);
              setPage(0);
            }}
          />
        </label>
        <button type="button" class="button small" onClick={() => downloadCsv({ ...body, limit: 10_000, offset: 0 }, `${base.site}-${tab.dimension}.csv`)}>
          Export CSV
        </button>
      </div>
      {rows.error ? (
        <ErrorNote error={rows.error} what={tab.label.toLowerCase()} />
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{tab.label}</th>
                {tab.details.map((m) => (
                  <th scope="col" class="num" key={m}>
                    {METRIC_LABELS[m]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {(rows.data?.results ?? []).map((r) => {
                const raw = r.dimensions[0] ?? null;
                return (
                  <tr key={String(raw)}>
                    <th scope="row">
                      {raw === null ? (
                        valueLabel(tab.dimension, raw)
                      ) : (
                        <button
                          type="button"
                          class="link-button"
                          onClick={() => {
                            onFilter(["is", tab.dimension, [raw]]);
                            dialog.current?.close();
                          }}
                        >
                          {valueLabel(tab.dimension, raw)}
                        </button>
                      )}
                    </th>
                    {tab.details.map((m, i) => (
                      <td class="num" key={m}>
                        {formatMetric(m, r.metrics[i] ?? 0)}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
          {rows.data && rows.data.results.length === 0 && <p class="empty">Nothing matches.</p>}
        </div>
      )}
      <nav class="pager" aria-label="Pages">
        <button type="button" class="button small" disabled={page === 0} onClick={() => setPage(page - 1)}>
          Previous
        </button>
        <span>
          Page {page + 1} of {pages}
        </span>
        <button type="button" class="button small" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
          Next
        </button>
      </nav>
    </dialog>
  );
}
