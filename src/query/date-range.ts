import type { TimeDimension } from "./shape.ts";

/** Calendar arithmetic on YYYY-MM-DD strings (time-zone free: a local date is just a date). */
const toMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
const fromMs = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const addDays = (d: string, n: number) => fromMs(toMs(d) + n * 86_400_000);
export const daysBetween = (from: string, to: string) => Math.round((toMs(to) - toMs(from)) / 86_400_000) + 1;
const monthStart = (d: string, back = 0) => {
  const t = new Date(toMs(d));
  return fromMs(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() - back, 1));
};
/** Monday of the ISO week containing `d` (as PostgreSQL's date_trunc('week') gives). */
export const weekStart = (d: string) => addDays(d, -((new Date(toMs(d)).getUTCDay() + 6) % 7));

/** Today's date in `timeZone`. */
export function todayIn(timeZone: string, now: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * A relative range → inclusive local dates, ending today: day (today), 7d and 30d (the last N
 * days including today), month (this month so far), 6mo and 12mo (this month and the 5 or 11
 * before it), year (this calendar year so far), all (from `firstDay`, the site's first data).
 */
export function resolveRelative(relative: string, today: string, firstDay: string | null): { from: string; to: string } {
  switch (relative) {
    case "day":
      return { from: today, to: today };
    case "7d":
      return { from: addDays(today, -6), to: today };
    case "30d":
      return { from: addDays(today, -29), to: today };
    case "month":
      return { from: monthStart(today), to: today };
    case "6mo":
      return { from: monthStart(today, 5), to: today };
    case "12mo":
      return { from: monthStart(today, 11), to: today };
    case "year":
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
    default:
      return { from: firstDay && firstDay < today ? firstDay : today, to: today };
  }
}

/** The period of the same length just before `range` (compare: previous_period). */
export function previousPeriod(range: { from: string; to: string }): { from: string; to: string } {
  const n = daysBetween(range.from, range.to);
  return { from: addDays(range.from, -n), to: addDays(range.from, -1) };
}

/** Every bucket label of `dim` in the range, in order, so empty buckets can be filled with zeros. */
export function bucketLabels(dim: TimeDimension, range: { from: string; to: string }): string[] {
  const out: string[] = [];
  if (dim === "time:hour") {
    for (let d = range.from; d <= range.to; d = addDays(d, 1)) for (let h = 0; h < 24; h++) out.push(`${d} ${String(h).padStart(2, "0")}:00:00`);
  } else if (dim === "time:day") {
    for (let d = range.from; d <= range.to; d = addDays(d, 1)) out.push(d);
  } else if (dim === "time:week") {
    for (let d = weekStart(range.from); d <= range.to; d = addDays(d, 7)) out.push(d);
  } else {
    for (let d = monthStart(range.from); d <= range.to; d = monthStart(addDays(d, 32))) out.push(d);
  }
  return out;
}
