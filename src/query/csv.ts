import type { QueryResponse } from "./shape.ts";

/**
 * A query result as CSV (RFC 4180): a header of the dimension and metric names, then one line per
 * row; with a comparison, `<metric>_previous` and `<metric>_change` columns follow. A missing
 * value is an empty cell. Text cells that a spreadsheet would run as a formula (=, +, -, @, tab,
 * CR at the start) get a leading apostrophe: a page path is data, never a formula.
 */
export function toCsv(r: QueryResponse): string {
  const compare = r.results.some((row) => row.comparison);
  const header = [...r.meta.dimensions, ...r.meta.metrics, ...(compare ? r.meta.metrics.flatMap((m) => [`${m}_previous`, `${m}_change`]) : [])];
  const lines = [header.map(cell).join(",")];
  for (const row of r.results) {
    const extra = compare ? r.meta.metrics.flatMap((_, i) => [row.comparison?.metrics[i] ?? null, row.comparison?.change[i] ?? null]) : [];
    lines.push([...row.dimensions.map(textCell), ...row.metrics, ...extra].map(cell).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

function textCell(v: string | null): string | null {
  return v !== null && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function cell(v: string | number | null): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
