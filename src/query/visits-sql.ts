import { VISIT_ATTRIBUTES, type VisitAttribute } from "../pathways/handlers/visit-dimensions.ts";
import { and, localStart, Params, predicate, timeLabel } from "./sql-parts.ts";
import type { Filter, TimeDimension } from "./shape.ts";

export interface SqlStatement {
  text: string;
  params: unknown[];
}

/**
 * The raw path: a grouped query over `visits`, exact for every valid query. Every figure is
 * counted in the bucket where its visit started. Visit attributes are columns; page views, event
 * names and properties are the per-visit jsonb counters, unnested (at most one kind per query):
 *   - a page/event/props filter keeps the visits with at least one matching page view or event,
 *     and counts only the matching ones in pageviews/events;
 *   - a page/event/props dimension groups a visit under every matching value it contains.
 */
export function visitsSql(site: string, tz: string, range: { from: string; to: string }, dimensions: string[], filters: Filter[]): SqlStatement {
  const p = new Params();
  const tzP = p.add(tz);
  const where = [`v.site = ${p.add(site)}`, `v.started_at >= ${localStart(range.from, tzP, p)}`, `v.started_at < (${p.add(range.to)}::date + 1)::timestamp at time zone ${tzP}`];

  const pageFilters = filters.filter((f) => f.dim === "page");
  const eventFilters = filters.filter((f) => f.dim === "event");
  const propsFilters = filters.filter((f) => f.dim.startsWith("props:"));
  for (const f of filters) {
    if (f.dim in VISIT_ATTRIBUTES) where.push(predicate(f, `v.${VISIT_ATTRIBUTES[f.dim as VisitAttribute]}`, p));
  }
  const propsKey = [...dimensions, ...filters.map((f) => f.dim)].find((d) => d.startsWith("props:"))?.slice(6) ?? null;
  const keyP = propsKey === null ? "" : p.add(propsKey);

  // Cells: the jsonb counters a page or event-level filter/dimension looks at.
  const pageWhere = (alias: string) => and(pageFilters.map((f) => predicate(f, `${alias}.key`, p)));
  const eventCells = (group: string[]) =>
    propsKey !== null
      ? `select ${group.length ? group.join(", ") + ", " : ""}sum(pv.value::int)::int as n from jsonb_each(v.props) nm, jsonb_each_text(nm.value -> ${keyP}) pv
         where ${and([...eventFilters.map((f) => predicate(f, "nm.key", p)), ...propsFilters.map((f) => predicate(f, "pv.key", p))])}${group.length ? ` group by ${group.map((_, i) => i + 1).join(", ")}` : ""}`
      : group.length
        ? `select ${group.join(", ")}, e.value::int as n from jsonb_each_text(v.event_names) e where ${and(eventFilters.map((f) => predicate(f, "e.key", p)))}`
        : `select sum(e.value::int)::int as n from jsonb_each_text(v.event_names) e where ${and(eventFilters.map((f) => predicate(f, "e.key", p)))}`;

  const labels: string[] = [];
  let lateral = "";
  let pv = "v.pageviews";
  let ev = "v.events";
  const eventDims = dimensions.filter((d) => d === "event" || d.startsWith("props:"));
  if (dimensions.includes("page")) {
    // Keys of a jsonb object are unique: one row per page, no grouping needed.
    lateral = `cross join lateral (select p.key as k, p.value::int as n from jsonb_each_text(v.pages) p where ${pageWhere("p")}) c`;
    pv = "c.n";
  } else if (pageFilters.length > 0) {
    pv = `(select coalesce(sum(p.value::int), 0) from jsonb_each_text(v.pages) p where ${pageWhere("p")})`;
    where.push(`exists (select 1 from jsonb_each_text(v.pages) p where ${pageWhere("p")})`);
  }
  if (eventDims.length > 0) {
    const group = eventDims.map((d) => (d === "event" ? (propsKey !== null ? "nm.key as name" : "e.key as name") : "pv.key as value"));
    lateral = `cross join lateral (${eventCells(group)}) c`;
    ev = "c.n";
  } else if (eventFilters.length > 0 || propsFilters.length > 0) {
    ev = `(select coalesce(n, 0) from (${eventCells([])}) s)`;
    where.push(`exists (select 1 from (${eventCells([])}) s where n > 0)`);
  }
  for (const d of dimensions) {
    if (d.startsWith("time:")) labels.push(timeLabel(d as TimeDimension, "v.started_at", tzP));
    else if (d === "page") labels.push("c.k");
    else if (d === "event") labels.push("c.name");
    else if (d.startsWith("props:")) labels.push("c.value");
    else labels.push(`v.${VISIT_ATTRIBUTES[d as VisitAttribute]}`);
  }
  const dimCols = labels.map((l, i) => `${l} as d${i}`);
  const groupBy = labels.length ? `group by ${labels.map((_, i) => `d${i}`).join(", ")}` : "";
  // Per visitor first, then per group: visitors are the rows of the inner grouping, so no
  // count(distinct) (which sorts) is needed, and both levels can hash (and run in parallel).
  const ds = labels.map((_, i) => `d${i}, `).join("");
  const text = `
    select ${ds}count(*)::int as visitors, coalesce(sum(visits), 0)::int as visits,
           coalesce(sum(pv), 0)::float8 as pageviews, coalesce(sum(b), 0)::float8 as bounces,
           coalesce(sum(dur), 0)::float8 as duration_ms, coalesce(sum(ev), 0)::float8 as events
    from (
      select ${ds}h, count(*) as visits, sum(pv) as pv, sum(b) as b, sum(dur) as dur, sum(ev) as ev
      from (
        select ${dimCols.map((c) => c + ", ").join("")}v.visitor_hash as h, v.bounce::int as b, v.duration_ms as dur, ${pv} as pv, ${ev} as ev
        from visits v ${lateral}
        where ${and(where)}
      ) x group by ${ds}h
    ) y ${groupBy}`;
  return { text, params: p.values };
}
