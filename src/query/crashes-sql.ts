import { and, localStart, Params, predicate, timeLabel } from "./sql-parts.ts";
import type { Filter, TimeDimension } from "./shape.ts";
import type { SqlStatement } from "./visits-sql.ts";

/** Crash dimension → column of `crashes`. */
const CRASH_COLUMNS: Record<string, string> = {
  release: "c.release",
  crash_group: "c.group_id",
  platform: "c.platform",
  page: "c.pathname",
  browser: "c.browser",
  os: "c.os",
  device: "c.device_type",
  country: "c.country",
};

/** Crashes and affected visitors (distinct visitor hashes) per dimension, from `crashes`. */
export function crashesSql(site: string, tz: string, range: { from: string; to: string }, dimensions: string[], filters: Filter[]): SqlStatement {
  const p = new Params();
  const tzP = p.add(tz);
  const where = [`c.site = ${p.add(site)}`, `c.occurred_at >= ${localStart(range.from, tzP, p)}`, `c.occurred_at < (${p.add(range.to)}::date + 1)::timestamp at time zone ${tzP}`];
  for (const f of filters) where.push(predicate(f, CRASH_COLUMNS[f.dim]!, p));
  const labels = dimensions.map((d) => (d.startsWith("time:") ? timeLabel(d as TimeDimension, "c.occurred_at", tzP) : CRASH_COLUMNS[d]!));
  const text = `
    select ${labels.map((l, i) => `${l} as d${i}, `).join("")}count(*)::int as crashes, count(distinct c.visitor_hash)::int as crash_visitors
    from crashes c where ${and(where)}
    ${labels.length ? `group by ${labels.map((_, i) => `d${i}`).join(", ")}` : ""}`;
  return { text, params: p.values };
}
