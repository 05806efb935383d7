import type { VitalsInput } from "../types.ts";

const METRICS = ["lcp", "inp", "cls", "fcp", "ttfb"] as const;

/**
 * Web Vitals as another client names them (`LCP` or `lcp`, as Umami, web-vitals and seed 003
 * do) → our measurements. A value that is not a finite number in range (0–60,000 ms; CLS 0–100)
 * is left out rather than refusing the page load's other metrics. Null when nothing is left.
 */
export function vitalsFrom(source: Record<string, unknown>, timing: { domContentLoaded?: unknown; load?: unknown } = {}): VitalsInput | null {
  const lower = new Map(Object.entries(source).map(([k, v]) => [k.toLowerCase(), v]));
  const out: VitalsInput = { lcp: null, inp: null, cls: null, fcp: null, ttfb: null, domContentLoaded: null, load: null };
  for (const m of METRICS) out[m] = inRange(lower.get(m), m === "cls" ? 100 : 60_000);
  out.domContentLoaded = inRange(timing.domContentLoaded, 60_000);
  out.load = inRange(timing.load, 60_000);
  return Object.values(out).some((v) => v !== null) ? out : null;
}

function inRange(v: unknown, max: number): number | null {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 && n <= max ? n : null;
}
