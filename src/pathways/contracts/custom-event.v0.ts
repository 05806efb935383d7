import { defineContract } from "../contract.ts";
import { customEventVisitRows, projectCustomEvents } from "../handlers/project-custom-events.ts";
import { z } from "zod";
import { LIMITS } from "../../limits.ts";
import { visitFields } from "./visit.ts";

export const CUSTOM_EVENT_FLOW = "custom-event.v0";
export const CUSTOM_EVENT_TRACKED = "custom-event.tracked.v0";

export const customEventTrackedSchema = z.object({
  ...visitFields,
  eventName: z.string().min(1).max(LIMITS.eventName),
  properties: z.record(z.union([z.string(), z.number(), z.boolean()])),
});
export type CustomEventTracked = z.infer<typeof customEventTrackedSchema>;

export const customEventTracked = defineContract({
  flowType: CUSTOM_EVENT_FLOW,
  eventType: CUSTOM_EVENT_TRACKED,
  description: "A custom event was tracked with flat properties",
  schema: customEventTrackedSchema,
  label: "custom_event",
  noun: ["custom event", "custom events"],
  tables: ["custom_events", "visits", "rollups_daily", "rollups_filtered", "sealed_days"],
  project: projectCustomEvents,
  visits: customEventVisitRows,
});
