/** Numbers and dates in the browser's locale (Intl), so 12345 reads "12,345" or "12.345". */
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

export const formatInteger = (n: number) => integer.format(n);
export const formatCompact = (n: number) => (Math.abs(n) >= 10_000 ? compact.format(n) : integer.format(n));
export const formatDecimal = (n: number) => decimal.format(n);
export const formatPercent = (n: number) => `${percent.format(n)}%`;

/** Seconds as "1m 05s" / "2h 03m" / "42s". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** A metric's value as the dashboard shows it. */
export function formatMetric(metric: string, n: number): string {
  if (metric === "bounce_rate" || metric === "conversion_rate" || metric === "percentage") return formatPercent(n);
  if (metric === "visit_duration") return formatDuration(n);
  if (metric === "views_per_visit") return decimal.format(n);
  return formatInteger(n);
}

const dateFmt = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
export const formatDate = (iso: string) => dateFmt.format(new Date(iso.length === 10 ? `${iso}T00:00:00` : iso));
export const formatDateTime = (iso: string) => dateTimeFmt.format(new Date(iso));

/** "3 minutes ago", "2 days ago". */
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
export function formatAgo(iso: string, now = Date.now()): string {
  const s = (new Date(iso).getTime() - now) / 1000;
  const steps: [number, Intl.RelativeTimeFormatUnit][] = [
    [60, "second"],
    [3600, "minute"],
    [86400, "hour"],
    [86400 * 30, "day"],
    [86400 * 365, "month"],
  ];
  let unit: Intl.RelativeTimeFormatUnit = "year";
  let div = 86400 * 365;
  for (const [limit, u] of steps) {
    if (Math.abs(s) < limit) {
      unit = u;
      break;
    }
  }
  div = { second: 1, minute: 60, hour: 3600, day: 86400, month: 86400 * 30, year: 86400 * 365 }[unit as "second"] ?? div;
  return relative.format(Math.round(s / div), unit);
}
