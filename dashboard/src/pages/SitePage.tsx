import { FilterChips } from "../components/FilterChips.tsx";
import { MainGraph } from "../components/MainGraph.tsx";
import { Panel } from "../components/Panel.tsx";
import { PropertyPanel } from "../components/PropertyPanel.tsx";
import { RangePicker } from "../components/RangePicker.tsx";
import { SnippetBlock } from "../components/SnippetBlock.tsx";
import { TopStats, topStatsQuery } from "../components/TopStats.tsx";
import { VitalsPanel } from "../components/VitalsPanel.tsx";
import { query } from "../lib/query.ts";
import { navigate, useLocation } from "../lib/router.ts";
import type { Me, QueryBody } from "../lib/types.ts";
import { useAsync } from "../lib/use-async.ts";
import { dateRange, defaultInterval, readView, withFilter, withoutFilter, writeView, type Tab, type ViewState } from "../lib/view-state.ts";
import { PANELS } from "../panels.ts";
import { CrashesTab } from "./CrashesTab.tsx";
import { FeedbackTab } from "./FeedbackTab.tsx";

/** A site's dashboard: range, filters, top stats, graph and panels; crashes and feedback in tabs. */
export function SitePage({ me, site }: { me: Me; site: string }) {
  const loc = useLocation();
  const view = readView(loc.params);
  const shared = me.kind === "share";
  const set = (v: ViewState) => navigate(`${loc.path}${writeView(v)}`);
  const base: QueryBody = { site, metrics: [], date_range: dateRange(view), filters: view.filters };
  const tabs: [Tab, string][] = shared
    ? [["traffic", "Traffic"]]
    : [
        ["traffic", "Traffic"],
        ["crashes", "Crashes"],
        ["feedback", "Feedback"],
      ];
  const tab = shared ? "traffic" : view.tab;
  return (
    <div class="page site-page">
      <div class="site-head">
        <h1>{site}</h1>
        {tabs.length > 1 && (
          <nav class="tabs big" aria-label="Sections">
            {tabs.map(([id, label]) => (
              <a key={id} href={`${loc.path}${writeView({ ...view, tab: id })}`} aria-current={tab === id ? "page" : undefined} class={tab === id ? "on" : ""}>
                {label}
              </a>
            ))}
          </nav>
        )}
      </div>
      {/* Feedback is a list of everything, not a range: no picker there. */}
      {tab !== "feedback" && (
        <div class="toolbar">
          <RangePicker view={view} onChange={set} />
        </div>
      )}
      {tab === "traffic" && <Traffic site={site} view={view} base={base} set={set} />}
      {tab === "crashes" && <CrashesTab site={site} view={view} base={base} />}
      {tab === "feedback" && <FeedbackTab site={site} me={me} />}
    </div>
  );
}

function Traffic({ site, view, base, set }: { site: string; view: ViewState; base: QueryBody; set: (v: ViewState) => void }) {
  const ever = useAsync(`ever:${site}`, (signal) => query({ site, metrics: ["pageviews"], date_range: "all" }, signal));
  const none = ever.data && (ever.data.results[0]?.metrics[0] ?? 0) === 0;
  // One query for the headline numbers; its visitors are also the panels' 100 %.
  const statsBody = topStatsQuery(base);
  const stats = useAsync(JSON.stringify(statsBody), (signal) => query(statsBody, signal));
  const total = !stats.loading && stats.data && JSON.stringify(stats.data.meta.metrics) === JSON.stringify(statsBody.metrics) ? (stats.data.results[0]?.metrics[0] ?? 0) : null;
  return (
    <>
      <FilterChips filters={view.filters} onRemove={(dim) => set(withoutFilter(view, dim))} onClear={() => set({ ...view, filters: [] })} />
      {none && (
        <section class="card empty-state">
          <h2>No data yet — add the snippet:</h2>
          <SnippetBlock />
        </section>
      )}
      <TopStats base={base} stats={stats} selected={view.metric} onSelect={(metric) => set({ ...view, metric })} />
      <MainGraph base={base} metric={view.metric} interval={defaultInterval(view)} compare={view.compare} onInterval={(interval) => set({ ...view, interval })} />
      <div class="panels">
        {PANELS.map((p) => (
          <Panel key={p.id} def={p} base={base} total={total} onFilter={(f) => set(withFilter(view, f))} />
        ))}
        <PropertyPanel base={base} onFilter={(f) => set(withFilter(view, f))} />
      </div>
      <VitalsPanel base={base} onFilter={(f) => set(withFilter(view, f))} />
    </>
  );
}
