import { z } from "zod";
import { visitFields } from "./visit.ts";

export const CUSTOM_EVENT_FLOW = "custom-event.v0";
export const CUSTOM_EVENT_TRACKED = "custom-event.tracked.v0";

export const customEventTrackedSchema = z.object({
  ...visitFields,
  eventName: z.string().min(1).max(120),
  properties: z.record(z.union([z.string(), z.number(), z.boolean()])),
});
export type CustomEventTracked = z.infer<typeof customEventTrackedSchema>;
