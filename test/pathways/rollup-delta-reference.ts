import { EVENT_PROPS, type RollupDelta, type SignedVisit } from "../../src/pathways/handlers/rollup-delta.ts";
import { VISIT_ATTRIBUTES } from "../../src/pathways/handlers/visit-dimensions.ts";

const ATTRS = Object.keys(VISIT_ATTRIBUTES);

/**
 * The first, straightforward rollupDelta, kept as the oracle the optimised one is checked against.
 * What a set of visits adds to (sign +1) or takes from (sign -1) `rollups_daily`, per (site, UTC
 * day, dimension, value). A visitor counts once per value however many of their visits have it;
 * a visit counts under "total", each of its attributes, each page it viewed (with that page's
 * views), each event name and each property value (with those events), and each (event name,
 * property value) pair. Null is stored as "".
 */
export function referenceRollupDelta(visits: SignedVisit[]): RollupDelta[] {
  const rows = new Map<string, RollupDelta>();
  const seen = new Set<string>();
  const add = (v: SignedVisit, dim: string, value: string | null, pv: number, ev: number) => {
    const val = value ?? "";
    const k = `${v.site}\u0001${v.day}\u0001${dim}\u0001${val}`;
    let r = rows.get(k);
    if (!r) rows.set(k, (r = { site: v.site, day: v.day, dim, value: val, visitors: 0, visits: 0, pageviews: 0, bounces: 0, duration_ms: 0, events: 0 }));
    const visitorKey = `${v.sign}\u0001${k}\u0001${v.visitor_hash}`;
    if (!seen.has(visitorKey)) {
      seen.add(visitorKey);
      r.visitors += v.sign;
    }
    r.visits += v.sign;
    r.pageviews += v.sign * pv;
    r.bounces += v.sign * (v.bounce ? 1 : 0);
    r.duration_ms += v.sign * v.duration_ms;
    r.events += v.sign * ev;
  };
  for (const v of visits) {
    add(v, "total", "", v.pageviews, v.events);
    for (const a of ATTRS) add(v, a, v.attrs[a] ?? null, v.pageviews, v.events);
    for (const [page, n] of Object.entries(v.pages)) add(v, "page", page, n, v.events);
    for (const [name, n] of Object.entries(v.event_names)) add(v, "event", name, v.pageviews, n);
    const byProp = new Map<string, number>();
    for (const [name, keys] of Object.entries(v.props)) {
      for (const [key, values] of Object.entries(keys)) {
        for (const [value, n] of Object.entries(values)) {
          const pk = `${key}\u0001${value}`;
          byProp.set(pk, (byProp.get(pk) ?? 0) + n);
          // Per event name too, for "goal X broken down by property k" (value: [name, value]).
          add(v, `${EVENT_PROPS}${key}`, JSON.stringify([name, value]), v.pageviews, n);
        }
      }
    }
    for (const [pk, n] of byProp) {
      const [key, value] = pk.split("\u0001") as [string, string];
      add(v, `props:${key}`, value, v.pageviews, n);
    }
  }
  // Sorted by the table's key, so concurrent transactions lock rows in the same order.
  return [...rows.values()]
    .filter((r) => r.visitors || r.visits || r.pageviews || r.bounces || r.duration_ms || r.events)
    .sort((a, b) => cmp(a.site, b.site) || cmp(a.dim, b.dim) || cmp(a.day, b.day) || cmp(a.value, b.value));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
