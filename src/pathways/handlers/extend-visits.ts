import { byTime, sessionise, type RawEvent, type VisitRow } from "./sessionise.ts";
import { VISIT_GAP_MS } from "./visit-dimensions.ts";

/** A visitor's visits after new events: all of them, the stored one extended (same start), the new ones. */
export interface Extension {
  visits: VisitRow[];
  extended: VisitRow | null;
  fresh: VisitRow[];
}

/**
 * The fast path of refresh-visits. Events mostly arrive in time order, so a visitor's new events
 * usually all come after every event already stored for them. Then sessionising old and new
 * events together changes nothing before the last stored visit: that visit is extended when the
 * first new event is within 30 minutes of its end, and the rest of the new events form visits of
 * their own. So the visits follow from the stored visits and the new events alone, without
 * reading the visitor's raw rows back, and come out exactly as `sessionise` of all the events
 * would (extend-visits.test.ts checks this against it on random histories).
 *
 * `old`: the visitor's stored visits (sessionise of their stored events); `added`: the events
 * just stored for the same visitor. Returns the visitor's visits, or null when some new event is
 * not strictly after every stored one (a late or tied event): then only a full recomputation
 * from the raw rows is right.
 */
export function extendVisitor(old: VisitRow[], added: RawEvent[]): Extension | null {
  if (added.length === 0) return { visits: old, extended: null, fresh: [] };
  let last: VisitRow | null = null;
  let lastEnd = -Infinity;
  for (const v of old) {
    const end = Date.parse(v.ended_at);
    if (end > lastEnd) {
      lastEnd = end;
      last = v;
    }
  }
  let first = added[0]!;
  for (const e of added) if (byTime(e, first) < 0) first = e;
  if (first.at <= lastEnd) return null;
  const fresh = sessionise(added);
  if (!last || first.at - lastEnd > VISIT_GAP_MS) return { visits: [...old, ...fresh], extended: null, fresh };
  const extended = mergeVisits(last, fresh[0]!);
  const rest = fresh.slice(1);
  return { visits: [...old.filter((v) => v !== last), extended, ...rest], extended, fresh: rest };
}

/**
 * One visit from two consecutive ones of the same visitor (`b` starts within 30 minutes of the
 * end of `a`), as `sessionise` would build it from their events together: the first page view
 * (else the first event) gives the entry page and the attributes, the last page view (else the
 * last event) the exit page, and the counts add up.
 */
export function mergeVisits(a: VisitRow, b: VisitRow): VisitRow {
  const head = a.pageviews > 0 || b.pageviews === 0 ? a : b;
  const exit = b.pageviews > 0 || a.pageviews === 0 ? b.exit_page : a.exit_page;
  const pageviews = a.pageviews + b.pageviews;
  const events = a.events + b.events;
  const durationMs = Date.parse(b.ended_at) - Date.parse(a.started_at);
  return {
    ...head,
    site: a.site,
    visitor_hash: a.visitor_hash,
    started_at: a.started_at,
    ended_at: b.ended_at,
    exit_page: exit,
    pageviews,
    events,
    duration_ms: durationMs,
    bounce: pageviews <= 1 && events === 0,
    pages: addCounts(a.pages, b.pages),
    event_names: addCounts(a.event_names, b.event_names),
    props: addNested(a.props, b.props),
  };
}

function addCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = Object.assign(Object.create(null), a);
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return out;
}

type Props = VisitRow["props"];
function addNested(a: Props, b: Props): Props {
  const out: Props = Object.create(null);
  for (const [name, keys] of Object.entries(a)) {
    out[name] = Object.create(null);
    for (const [key, values] of Object.entries(keys)) out[name]![key] = Object.assign(Object.create(null), values);
  }
  for (const [name, keys] of Object.entries(b)) {
    const outKeys = (out[name] ??= Object.create(null) as Props[string]);
    for (const [key, values] of Object.entries(keys)) outKeys[key] = addCounts(outKeys[key] ?? {}, values);
  }
  return out;
}
