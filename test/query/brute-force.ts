import type postgres from "postgres";
import { metricValue } from "../../src/query/metrics.ts";
import type { Filter, Metric } from "../../src/query/shape.ts";

/**
 * The Stats API's semantics re-implemented naively in TypeScript, straight from the raw
 * `pageviews` and `custom_events` rows: sessionise every visitor (30-minute rule), then evaluate a
 * query visit by visit. Only the rounding of ratios is shared with the code under test.
 */
interface Ev {
  kind: 0 | 1;
  id: string;
  site: string;
  hash: string;
  at: number;
  pathname: string;
  attrs: Record<string, string | null>;
  name: string | null;
  props: Record<string, string>;
}
export interface BruteVisit {
  site: string;
  hash: string;
  start: number;
  end: number;
  pageviews: number;
  events: number;
  bounce: boolean;
  attrs: Record<string, string | null>;
  pages: Ev[];
  custom: Ev[];
}

const ATTR_COLUMNS: Record<string, string> = {
  source: "referrer_source",
  referrer: "referrer",
  channel: "channel",
  utm_source: "utm_source",
  utm_medium: "utm_medium",
  utm_campaign: "utm_campaign",
  utm_term: "utm_term",
  utm_content: "utm_content",
  country: "country",
  browser: "browser",
  browser_version: "browser_version",
  os: "os",
  os_version: "os_version",
  device: "device_type",
};

export async function loadVisits(sql: postgres.Sql): Promise<BruteVisit[]> {
  const pv = await sql`select * from pageviews`;
  const ce = await sql`select * from custom_events`;
  const evs: Ev[] = [];
  const attrs = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(ATTR_COLUMNS).map(([k, c]) => [k, (r[c] ?? null) as string | null]));
  for (const r of pv)
    evs.push({ kind: 0, id: r.id, site: r.site, hash: r.visitor_hash, at: new Date(r.occurred_at).getTime(), pathname: r.pathname, attrs: attrs(r), name: null, props: {} });
  for (const r of ce) {
    const props = Object.fromEntries(Object.entries(r.properties as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    evs.push({ kind: 1, id: r.id, site: r.site, hash: r.visitor_hash, at: new Date(r.occurred_at).getTime(), pathname: r.pathname, attrs: attrs(r), name: r.event_name, props });
  }
  const byVisitor = new Map<string, Ev[]>();
  for (const e of evs) {
    const k = `${e.site} ${e.hash}`;
    if (!byVisitor.has(k)) byVisitor.set(k, []);
    byVisitor.get(k)!.push(e);
  }
  const visits: BruteVisit[] = [];
  for (const list of byVisitor.values()) {
    list.sort((a, b) => a.at - b.at || a.kind - b.kind || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let run: Ev[] = [];
    const close = () => {
      if (run.length === 0) return;
      const pages = run.filter((e) => e.kind === 0);
      const custom = run.filter((e) => e.kind === 1);
      const first = pages[0] ?? custom[0]!;
      const last = pages.at(-1) ?? custom.at(-1)!;
      visits.push({
        site: first.site,
        hash: first.hash,
        start: run[0]!.at,
        end: run.at(-1)!.at,
        pageviews: pages.length,
        events: custom.length,
        bounce: pages.length <= 1 && custom.length === 0,
        attrs: { ...first.attrs, entry_page: first.pathname, exit_page: last.pathname, ...(pages.length === 0 ? {} : {}) },
        pages,
        custom,
      });
      run = [];
    };
    for (const e of list) {
      if (run.length && e.at - run.at(-1)!.at > 30 * 60_000) close();
      run.push(e);
    }
    close();
  }
  return visits;
}

function local(at: number, tz: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", hourCycle: "h23" })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: parts.hour! };
}
function timeLabel(dim: string, at: number, tz: string): string {
  const { date, hour } = local(at, tz);
  if (dim === "time:hour") return `${date} ${hour}:00:00`;
  if (dim === "time:day") return date;
  if (dim === "time:month") return `${date.slice(0, 8)}01`;
  const d = new Date(`${date}T00:00:00Z`);
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}

function test(f: Filter, value: string | null): boolean {
  switch (f.op) {
    case "is":
      return value !== null && f.values.includes(value);
    case "is_not":
      return value === null || !f.values.includes(value);
    case "contains":
      return value !== null && f.values.some((v) => value.includes(v));
    case "matches":
      return value !== null && f.values.some((v) => new RegExp(v).test(value));
  }
}

type Sums = { visitors: Set<string>; visits: number; pageviews: number; bounces: number; durationMs: number; events: number };

/** Evaluates one visit query the slow way; returns rows sorted by their dimension labels. */
export function bruteQuery(
  visits: BruteVisit[],
  q: { site: string; tz: string; from: string; to: string; metrics: Metric[]; dimensions: string[]; filters: Filter[] },
): { dims: (string | null)[]; metrics: number[] }[] {
  const groups = new Map<string, { dims: (string | null)[]; s: Sums }>();
  const pageF = q.filters.filter((f) => f.dim === "page");
  const eventF = q.filters.filter((f) => f.dim === "event");
  const propsF = q.filters.filter((f) => f.dim.startsWith("props:"));
  const propKey = [...q.dimensions, ...q.filters.map((f) => f.dim)].find((d) => d.startsWith("props:"))?.slice(6);
  const visitF = q.filters.filter((f) => f.dim !== "page" && f.dim !== "event" && !f.dim.startsWith("props:"));
  for (const v of visits) {
    if (v.site !== q.site) continue;
    const day = local(v.start, q.tz).date;
    if (day < q.from || day > q.to) continue;
    if (!visitF.every((f) => test(f, v.attrs[f.dim] ?? null))) continue;
    const pages = v.pages.filter((e) => pageF.every((f) => test(f, e.pathname)));
    const customs = v.custom.filter(
      (e) => eventF.every((f) => test(f, e.name)) && (propKey === undefined || (propKey in e.props && propsF.every((f) => test(f, e.props[propKey]!)))),
    );
    if (pageF.length && pages.length === 0) continue;
    if ((eventF.length || propsF.length) && customs.length === 0) continue;
    // Cells: one per matching page (page dimension) or per event name/property value.
    type Cell = { labels: Record<string, string | null>; pv: number; ev: number };
    let cells: Cell[];
    if (q.dimensions.includes("page")) {
      const byPage = new Map<string, number>();
      for (const e of pages) byPage.set(e.pathname, (byPage.get(e.pathname) ?? 0) + 1);
      cells = [...byPage].map(([p, n]) => ({ labels: { page: p }, pv: n, ev: eventF.length || propsF.length ? customs.length : v.events }));
    } else if (q.dimensions.some((d) => d === "event" || d.startsWith("props:"))) {
      const by = new Map<string, Cell>();
      for (const e of customs) {
        const labels: Record<string, string | null> = {};
        if (q.dimensions.includes("event")) labels.event = e.name;
        if (propKey !== undefined && q.dimensions.includes(`props:${propKey}`)) labels[`props:${propKey}`] = e.props[propKey]!;
        const k = JSON.stringify(labels);
        if (!by.has(k)) by.set(k, { labels, pv: pageF.length ? pages.length : v.pageviews, ev: 0 });
        by.get(k)!.ev++;
      }
      cells = [...by.values()];
    } else {
      cells = [{ labels: {}, pv: pageF.length ? pages.length : v.pageviews, ev: eventF.length || propsF.length ? customs.length : v.events }];
    }
    for (const c of cells) {
      const dims = q.dimensions.map((d) => (d.startsWith("time:") ? timeLabel(d, v.start, q.tz) : d in c.labels ? c.labels[d]! : (v.attrs[d] ?? null)));
      const k = JSON.stringify(dims);
      if (!groups.has(k)) groups.set(k, { dims, s: { visitors: new Set(), visits: 0, pageviews: 0, bounces: 0, durationMs: 0, events: 0 } });
      const s = groups.get(k)!.s;
      s.visitors.add(v.hash);
      s.visits++;
      s.pageviews += c.pv;
      s.bounces += v.bounce ? 1 : 0;
      s.durationMs += v.end - v.start;
      s.events += c.ev;
    }
  }
  if (groups.size === 0 && q.dimensions.length === 0) groups.set("[]", { dims: [], s: { visitors: new Set(), visits: 0, pageviews: 0, bounces: 0, durationMs: 0, events: 0 } });
  // percentage / conversion_rate denominators, the slow way too.
  const total = q.metrics.includes("percentage") ? (bruteQuery(visits, { ...q, metrics: ["visitors"], dimensions: [] })[0]?.metrics[0] ?? 0) : null;
  const timeDims = q.dimensions.filter((d) => d.startsWith("time:"));
  const denominators = q.metrics.includes("conversion_rate")
    ? new Map(
        bruteQuery(visits, { ...q, metrics: ["visitors"], dimensions: timeDims, filters: q.filters.filter((f) => f.dim !== "event" && !f.dim.startsWith("props:")) }).map((r) => [
          JSON.stringify(r.dims),
          r.metrics[0]!,
        ]),
      )
    : null;
  return [...groups.values()]
    .map(({ dims, s }) => {
      const sums = { visitors: s.visitors.size, visits: s.visits, pageviews: s.pageviews, bounces: s.bounces, durationMs: s.durationMs, events: s.events };
      const den = denominators?.get(JSON.stringify(q.dimensions.flatMap((d, i) => (d.startsWith("time:") ? [dims[i]] : [])))) ?? 0;
      return { dims, metrics: q.metrics.map((m) => metricValue(m, sums, total, den)) };
    })
    .sort((a, b) => (JSON.stringify(a.dims) < JSON.stringify(b.dims) ? -1 : 1));
}
