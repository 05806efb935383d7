import type { z } from "zod";
import { CRASH_FLOW, CRASH_REPORTED, crashReportedSchema } from "./crash.v0.ts";
import { CUSTOM_EVENT_FLOW, CUSTOM_EVENT_TRACKED, customEventTrackedSchema } from "./custom-event.v0.ts";
import { PAGEVIEW_FLOW, PAGEVIEW_TRACKED, pageviewTrackedSchema } from "./pageview.v0.ts";

export * from "./crash.v0.ts";
export * from "./custom-event.v0.ts";
export * from "./pageview.v0.ts";

/** Every contract the code emits, declared once. flowcore.yaml must list exactly these. */
export const CONTRACTS = [
  { flowType: PAGEVIEW_FLOW, eventType: PAGEVIEW_TRACKED, schema: pageviewTrackedSchema, description: "A page was viewed (enriched, visitor hashed)" },
  { flowType: CUSTOM_EVENT_FLOW, eventType: CUSTOM_EVENT_TRACKED, schema: customEventTrackedSchema, description: "A custom event was tracked with flat properties" },
  { flowType: CRASH_FLOW, eventType: CRASH_REPORTED, schema: crashReportedSchema, description: "A crash was reported (stack parsed and scrubbed, fingerprinted)" },
] as const satisfies readonly { flowType: string; eventType: string; schema: z.ZodTypeAny; description: string }[];
