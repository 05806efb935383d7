import { VISIT_GAP_MS } from "./visit-dimensions.ts";

/** A raw page view (kind 0) or custom event (kind 1) as refresh-visits reads it back. */
export interface RawEvent {
  kind: 0 | 1;
  id: string;
  site: string;
  visitor_hash: string;
  at: number;
  pathname: string;
  referrer: string | null;
  referrer_source: string | null;
  channel: string;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  country: string | null;
  browser: string | null;
  browser_version: string | null;
  os: string | null;
  os_version: string | null;
  device_type: string;
  event_name: string | null;
  properties: Record<string, unknown> | null;
}

/** A row of `visits`, ready for jsonb_populate_recordset. */
export interface VisitRow {
  site: string;
  visitor_hash: string;
  started_at: string;
  ended_at: string;
  entry_page: string;
  exit_page: string;
  pageviews: number;
  events: number;
  duration_ms: number;
  bounce: boolean;
  referrer: string | null;
  source: string | null;
  channel: string;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  country: string | null;
  browser: string | null;
  browser_version: string | null;
  os: string | null;
  os_version: string | null;
  device_type: string;
  pages: Record<string, number>;
  event_names: Record<string, number>;
  props: Record<string, Record<string, Record<string, number>>>;
}

/** Time order of a visitor's events: by time, then page view first, then ingest id. */
export const byTime = (a: RawEvent, b: RawEvent) => a.at - b.at || a.kind - b.kind || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Raw events → visits (docs/query.md): per (site, visitor), in time order (ties: page view first,
 * then ingest id), a gap of more than 30 minutes starts a new visit. The first page view (or, in a
 * visit without one, the first event) gives the entry page and the attributes; the last page view
 * (or event) the exit page. A pure function of the set of events: order in, order out.
 */
export function sessionise(events: RawEvent[]): VisitRow[] {
  const byVisitor = new Map<string, RawEvent[]>();
  for (const e of events) {
    const k = `${e.site}\u0001${e.visitor_hash}`;
    const list = byVisitor.get(k);
    if (list) list.push(e);
    else byVisitor.set(k, [e]);
  }
  const out: VisitRow[] = [];
  for (const list of byVisitor.values()) {
    list.sort(byTime);
    let start = 0;
    for (let i = 1; i <= list.length; i++) {
      if (i === list.length || list[i]!.at - list[i - 1]!.at > VISIT_GAP_MS) {
        out.push(visitOf(list, start, i));
        start = i;
      }
    }
  }
  return out;
}

function visitOf(list: RawEvent[], from: number, to: number): VisitRow {
  let first: RawEvent | null = null;
  let last: RawEvent | null = null;
  let pageviews = 0;
  // Null-prototype maps: a page, event name or property called "__proto__" is counted like any other.
  const pages: Record<string, number> = Object.create(null);
  const names: Record<string, number> = Object.create(null);
  const props: Record<string, Record<string, Record<string, number>>> = Object.create(null);
  for (let i = from; i < to; i++) {
    const e = list[i]!;
    if (e.kind === 0) {
      pageviews++;
      first ??= e;
      last = e;
      pages[e.pathname] = (pages[e.pathname] ?? 0) + 1;
    } else {
      const name = e.event_name ?? "";
      names[name] = (names[name] ?? 0) + 1;
      for (const [key, raw] of Object.entries(e.properties ?? {})) {
        const value = String(raw);
        const keys = (props[name] ??= Object.create(null) as Record<string, Record<string, number>>);
        const values = (keys[key] ??= Object.create(null) as Record<string, number>);
        values[value] = (values[value] ?? 0) + 1;
      }
    }
  }
  const events = to - from - pageviews;
  if (!first) {
    first = list[from]!;
    last = list[to - 1]!;
  }
  const startAt = list[from]!.at;
  const endAt = list[to - 1]!.at;
  return {
    site: first.site,
    visitor_hash: first.visitor_hash,
    started_at: new Date(startAt).toISOString(),
    ended_at: new Date(endAt).toISOString(),
    entry_page: first.pathname,
    exit_page: last!.pathname,
    pageviews,
    events,
    duration_ms: endAt - startAt,
    bounce: pageviews <= 1 && events === 0,
    referrer: first.referrer,
    source: first.referrer_source,
    channel: first.channel,
    utm_source: first.utm_source,
    utm_medium: first.utm_medium,
    utm_campaign: first.utm_campaign,
    utm_term: first.utm_term,
    utm_content: first.utm_content,
    country: first.country,
    browser: first.browser,
    browser_version: first.browser_version,
    os: first.os,
    os_version: first.os_version,
    device_type: first.device_type,
    pages,
    event_names: names,
    props,
  };
}
