import { VISIT_ATTRIBUTES } from "./visit-dimensions.ts";

/** A visit as refresh-visits returns it: +1 for a visit written, -1 for one it replaced. */
export interface SignedVisit {
  sign: 1 | -1;
  site: string;
  day: string;
  visitor_hash: string;
  pageviews: number;
  events: number;
  bounce: boolean;
  duration_ms: number;
  attrs: Record<string, string | null>;
  pages: Record<string, number>;
  event_names: Record<string, number>;
  props: Record<string, Record<string, Record<string, number>>>;
}

export interface RollupDelta {
  site: string;
  day: string;
  dim: string;
  value: string;
  visitors: number;
  visits: number;
  pageviews: number;
  bounces: number;
  duration_ms: number;
  events: number;
}

const ATTRS = Object.keys(VISIT_ATTRIBUTES);
/** Rollup dimension of one property per event name: `event+props:<key>`, value `[name, value]`. */
export const EVENT_PROPS = "event+props:";

/**
 * What a set of visits adds to (sign +1) or takes from (sign -1) `rollups_daily`, per (site, UTC
 * day, dimension, value). A visitor counts once per value however many of their visits have it;
 * a visit counts under "total", each of its attributes, each page it viewed (with that page's
 * views), each event name and each property value (with those events), and each (event name,
 * property value) pair. Null is stored as "".
 *
 * Runs for every visitor a projection batch touches (twice: old and new visits), so it is written
 * for speed: rows live in nested maps per (site, day), and a visitor's distinctness is tracked per
 * (sign, site, day, visitor) group of visits by row identity rather than by composite string keys.
 */
export function rollupDelta(visits: SignedVisit[]): RollupDelta[] {
  const bySiteDay = new Map<string, Map<string, Map<string, RollupDelta>>>();
  const out: RollupDelta[] = [];
  // The rows one visitor group (sign, site, day, visitor) has counted its visitor in.
  const counted = new Set<RollupDelta>();
  let dims: Map<string, Map<string, RollupDelta>> = new Map();
  let v: SignedVisit = visits[0]!;

  const row = (dim: string, value: string): RollupDelta => {
    let values = dims.get(dim);
    if (!values) dims.set(dim, (values = new Map()));
    let r = values.get(value);
    if (!r) {
      r = { site: v.site, day: v.day, dim, value, visitors: 0, visits: 0, pageviews: 0, bounces: 0, duration_ms: 0, events: 0 };
      values.set(value, r);
      out.push(r);
    }
    return r;
  };
  const add = (dim: string, value: string | null, pv: number, ev: number) => {
    const r = row(dim, value ?? "");
    const sign = v.sign;
    if (!counted.has(r)) {
      counted.add(r);
      r.visitors += sign;
    }
    r.visits += sign;
    r.pageviews += sign * pv;
    if (v.bounce) r.bounces += sign;
    r.duration_ms += sign * v.duration_ms;
    r.events += sign * ev;
  };

  for (const group of byVisitor(visits)) {
    counted.clear();
    for (const visit of group) {
      v = visit;
      if (visit === group[0]) {
        const siteDay = `${v.site}\u0001${v.day}`;
        let m = bySiteDay.get(siteDay);
        if (!m) bySiteDay.set(siteDay, (m = new Map()));
        dims = m;
      }
      add("total", "", v.pageviews, v.events);
      for (const a of ATTRS) add(a, v.attrs[a] ?? null, v.pageviews, v.events);
      for (const page in v.pages) add("page", page, v.pages[page]!, v.events);
      for (const name in v.event_names) add("event", name, v.pageviews, v.event_names[name]!);
      let byProp: Map<string, Map<string, number>> | null = null;
      for (const name in v.props) {
        const keys = v.props[name]!;
        for (const key in keys) {
          const values = keys[key]!;
          for (const value in values) {
            const n = values[value]!;
            byProp ??= new Map();
            let perKey = byProp.get(key);
            if (!perKey) byProp.set(key, (perKey = new Map()));
            perKey.set(value, (perKey.get(value) ?? 0) + n);
            // Per event name too, for "goal X broken down by property k" (value: [name, value]).
            add(`${EVENT_PROPS}${key}`, JSON.stringify([name, value]), v.pageviews, n);
          }
        }
      }
      if (byProp) for (const [key, perKey] of byProp) for (const [value, n] of perKey) add(`props:${key}`, value, v.pageviews, n);
    }
  }
  // Sorted by the table's key, so concurrent transactions lock rows in the same order.
  return out
    .filter((r) => r.visitors || r.visits || r.pageviews || r.bounces || r.duration_ms || r.events)
    .sort((a, b) => cmp(a.site, b.site) || cmp(a.dim, b.dim) || cmp(a.day, b.day) || cmp(a.value, b.value));
}

/** Visits grouped by (sign, site, day, visitor), groups in order of first appearance. */
function byVisitor(visits: SignedVisit[]): SignedVisit[][] {
  const groups = new Map<string, SignedVisit[]>();
  for (const v of visits) {
    const key = `${v.sign}\u0001${v.site}\u0001${v.day}\u0001${v.visitor_hash}`;
    const g = groups.get(key);
    if (g) g.push(v);
    else groups.set(key, [v]);
  }
  return [...groups.values()];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
