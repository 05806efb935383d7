import { defineContract } from "../contract.ts";
import { pageviewVisitRows, projectPageviews } from "../handlers/project-pageviews.ts";
import { z } from "zod";
import { LIMITS } from "../../limits.ts";
import { visitFields } from "./visit.ts";

export const PAGEVIEW_FLOW = "pageview.v0";
export const PAGEVIEW_TRACKED = "pageview.tracked.v0";

export const pageviewTrackedSchema = z.object({
  ...visitFields,
  url: z.string().max(LIMITS.url).nullable(),
  title: z.string().max(LIMITS.title).nullable(),
  utmSource: z.string().max(LIMITS.utm).nullable(),
  utmMedium: z.string().max(LIMITS.utm).nullable(),
  utmCampaign: z.string().max(LIMITS.utm).nullable(),
  utmTerm: z.string().max(LIMITS.utm).nullable(),
  utmContent: z.string().max(LIMITS.utm).nullable(),
});
export type PageviewTracked = z.infer<typeof pageviewTrackedSchema>;

export const pageviewTracked = defineContract({
  flowType: PAGEVIEW_FLOW,
  eventType: PAGEVIEW_TRACKED,
  description: "A page was viewed (enriched, visitor hashed)",
  schema: pageviewTrackedSchema,
  label: "pageview",
  noun: ["page view", "page views"],
  tables: ["pageviews", "visits", "rollups_daily", "rollups_filtered", "sealed_days"],
  project: projectPageviews,
  visits: pageviewVisitRows,
});
