import { useState } from "preact/hooks";
import { query } from "../lib/query.ts";
import type { Filter, QueryBody } from "../lib/types.ts";
import { useAsync } from "../lib/use-async.ts";
import type { PanelTab } from "../panels.ts";
import { ErrorNote } from "./ErrorNote.tsx";
import { RankedList } from "./Panel.tsx";

/**
 * Custom events broken down by one of their properties (`props:<key>`): type the key your
 * trackEvent calls send, e.g. "plan". Filter by a goal first to see only that event's values.
 */
export function PropertyPanel({ base, onFilter }: { base: QueryBody; onFilter: (f: Filter) => void }) {
  const [draft, setDraft] = useState("");
  const [key, setKey] = useState("");
  const tab: PanelTab = {
    label: key ? `Property ${key}` : "Property",
    dimension: `props:${key}`,
    metrics: ["visitors", "events"],
    details: ["visitors", "events"],
    unit: "Uniques",
  };
  const body: QueryBody = { ...base, metrics: tab.metrics, dimensions: [tab.dimension], limit: 9 };
  const list = useAsync(key ? JSON.stringify(body) : "none", (signal) => (key ? query(body, signal) : Promise.resolve(null)));
  return (
    <section class="card panel" aria-labelledby="panel-props-title" data-testid="panel-props">
      <div class="card-head">
        <h2 id="panel-props-title">Event properties</h2>
        <form
          class="form-row"
          onSubmit={(e) => {
            e.preventDefault();
            setKey(draft.trim());
          }}
        >
          <label class="field-inline">
            <span class="visually-hidden">Property key</span>
            <input value={draft} placeholder="property key, e.g. plan" maxLength={64} onInput={(e) => setDraft((e.target as HTMLInputElement).value)} />
          </label>
          <button class="button small" type="submit">
            Break down
          </button>
        </form>
      </div>
      {!key ? (
        <p class="empty">
          Type a property your custom events carry (trackEvent("signup", {"{"} plan: "pro" {"}"}) → plan).
        </p>
      ) : list.error ? (
        <ErrorNote error={list.error} what={`property ${key}`} />
      ) : list.data && list.data.results.length === 0 ? (
        <p class="empty">No event in this range carries the property "{key}".</p>
      ) : (
        <RankedList tab={tab} rows={list.data?.results ?? []} onFilter={onFilter} />
      )}
    </section>
  );
}
