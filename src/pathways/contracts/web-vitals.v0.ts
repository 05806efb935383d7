import { z } from "zod";
import { defineContract } from "../contract.ts";
import { projectWebVitals } from "../handlers/project-web-vitals.ts";
import { visitFields } from "./visit.ts";

export const WEB_VITALS_FLOW = "web-vitals.v0";
export const WEB_VITALS_MEASURED = "web-vitals.measured.v0";

// Bounds as Umami's collector uses them: a minute is the longest plausible timing, CLS ≤ 100.
const ms = z.number().nonnegative().max(60_000).nullable();

/**
 * One page load's performance: Core Web Vitals (LCP, INP, CLS) with FCP and TTFB, and the
 * navigation timing of seed 003's collector (DOMContentLoaded, load), from our vitals add-on,
 * Umami's `performance` events or the collector's `/collect`. A metric not reported is null.
 */
export const webVitalsMeasuredSchema = z.object({
  ...visitFields,
  lcp: ms,
  inp: ms,
  cls: z.number().nonnegative().max(100).nullable(),
  fcp: ms,
  ttfb: ms,
  domContentLoaded: ms,
  load: ms,
});
export type WebVitalsMeasured = z.infer<typeof webVitalsMeasuredSchema>;

export const webVitalsMeasured = defineContract({
  flowType: WEB_VITALS_FLOW,
  eventType: WEB_VITALS_MEASURED,
  description: "A page load's Web Vitals and navigation timing were measured",
  schema: webVitalsMeasuredSchema,
  label: "web_vitals",
  noun: ["web vitals measurement", "web vitals measurements"],
  tables: ["web_vitals"],
  project: projectWebVitals,
});
