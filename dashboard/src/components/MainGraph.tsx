import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatMetric } from "../lib/format.ts";
import { METRIC_LABELS } from "../lib/labels.ts";
import { query } from "../lib/query.ts";
import type { QueryBody, QueryResult } from "../lib/types.ts";
import { useAsync } from "../lib/use-async.ts";
import { INTERVALS, type Interval } from "../lib/view-state.ts";
import { ErrorNote } from "./ErrorNote.tsx";

/** Bucket labels ("2026-11-21", "2026-11-21 14:00:00") are local times of the project: drawn as UTC so they read as written. */
const toSeconds = (label: string) => Date.parse(`${label.replace(" ", "T")}${label.length === 10 ? "T00:00:00" : ""}Z`) / 1000;

/** The main graph: the selected metric per hour/day/week/month, with the previous period dashed. */
export function MainGraph({
  base,
  metric,
  interval,
  compare,
  onInterval,
}: {
  base: QueryBody;
  metric: string;
  interval: Interval;
  compare: boolean;
  onInterval: (i: Interval) => void;
}) {
  const body: QueryBody = { ...base, metrics: [metric], dimensions: [`time:${interval}`], compare: compare ? "previous_period" : null };
  const series = useAsync(JSON.stringify(body), (signal) => query(body, signal));
  return (
    <section class="card graph-card" aria-label={`${METRIC_LABELS[metric]} over time`} aria-busy={series.loading}>
      <div class="card-head">
        <h2>{METRIC_LABELS[metric]}</h2>
        <div class="segmented" role="group" aria-label="Interval">
          {INTERVALS.map((i) => (
            <button type="button" key={i} aria-pressed={interval === i} class={interval === i ? "on" : ""} onClick={() => onInterval(i)}>
              {i[0]!.toUpperCase() + i.slice(1)}
            </button>
          ))}
        </div>
      </div>
      {series.error ? <ErrorNote error={series.error} what="the graph" /> : <Chart result={series.data} metric={metric} interval={interval} />}
    </section>
  );
}

function Chart({ result, metric, interval }: { result: QueryResult | null; metric: string; interval: Interval }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el || !result) return;
    const xs = result.results.map((r) => toSeconds(r.dimensions[0] ?? ""));
    const ys = result.results.map((r) => r.metrics[0] ?? 0);
    const prev = result.results.some((r) => r.comparison) ? result.results.map((r) => r.comparison?.metrics[0] ?? null) : null;
    const style = getComputedStyle(el);
    const accent = style.getPropertyValue("--accent").trim() || "#4f46e5";
    const muted = style.getPropertyValue("--muted").trim() || "#888";
    const grid = style.getPropertyValue("--grid").trim() || "#eee";
    const fmt = (v: number | null) => (v === null ? "–" : formatMetric(metric, v));
    const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { show: false } };
    const opts: uPlot.Options = {
      width: el.clientWidth,
      height: 260,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      legend: { show: true, live: true },
      cursor: { points: { size: 7 } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        { ...axis, values: interval === "hour" ? "{HH}:{mm}" : interval === "month" ? "{MMM} {YYYY}" : "{D} {MMM}" },
        { ...axis, size: 56, values: (_u, ticks) => ticks.map((t) => fmt(t)) },
      ],
      series: [
        { value: interval === "hour" ? "{D} {MMM} {HH}:{mm}" : interval === "month" ? "{MMM} {YYYY}" : "{D} {MMM} {YYYY}" },
        { label: METRIC_LABELS[metric], stroke: accent, width: 2, fill: `${accent}22`, value: (_u, v) => fmt(v) },
        ...(prev ? [{ label: "Previous period", stroke: muted, width: 1.5, dash: [5, 5], value: (_u: uPlot, v: number | null) => fmt(v) }] : []),
      ],
    };
    const data: uPlot.AlignedData = prev ? [xs, ys, prev] : [xs, ys];
    const plot = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 260 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [result, metric, interval]);
  const total = result?.results.reduce((a, r) => a + (r.metrics[0] ?? 0), 0) ?? 0;
  return (
    <div class="chart" data-testid="main-graph" data-points={result?.results.length ?? 0} data-total={total}>
      {!result && <div class="chart-placeholder" aria-hidden="true" />}
      <div ref={host} />
    </div>
  );
}
