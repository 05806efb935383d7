import { z } from "zod";
import { visitFields } from "./visit.ts";

export const PAGEVIEW_FLOW = "pageview.v0";
export const PAGEVIEW_TRACKED = "pageview.tracked.v0";

export const pageviewTrackedSchema = z.object({
  ...visitFields,
  url: z.string().max(4096).nullable(),
  title: z.string().max(512).nullable(),
  utmSource: z.string().max(256).nullable(),
  utmMedium: z.string().max(256).nullable(),
  utmCampaign: z.string().max(256).nullable(),
  utmTerm: z.string().max(256).nullable(),
  utmContent: z.string().max(256).nullable(),
});
export type PageviewTracked = z.infer<typeof pageviewTrackedSchema>;
