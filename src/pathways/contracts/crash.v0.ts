import { defineContract } from "../contract.ts";
import { projectCrashes } from "../handlers/project-crashes.ts";
import { z } from "zod";
import { LIMITS } from "../../limits.ts";
import { visitFields } from "./visit.ts";

export const CRASH_FLOW = "crash.v0";
export const CRASH_REPORTED = "crash.reported.v0";

export const stackFrameSchema = z.object({
  file: z.string().nullable(),
  function: z.string().nullable(),
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
  inApp: z.boolean(),
  native: z.boolean().optional(),
});

export const crashReportedSchema = z.object({
  ...visitFields,
  pathname: z.string().max(LIMITS.pathname).nullable(),
  errorType: z.string().min(1).max(LIMITS.errorType),
  message: z.string().max(LIMITS.storedMessage),
  frames: z.array(stackFrameSchema).max(LIMITS.storedFrames),
  /** Added later, hence optional: a stack no parser understood, scrubbed and capped. */
  rawStack: z.string().max(LIMITS.storedRawStack).optional(),
  fingerprint: z.object({ version: z.string(), hash: z.string().regex(/^[0-9a-f]{64}$/) }),
  release: z.string().max(LIMITS.release).nullable(),
  platform: z.string().max(LIMITS.platform).nullable(),
  osVersion: z.string().max(LIMITS.crashOsVersion).nullable(),
  severity: z.enum(["warning", "error", "fatal"]),
  breadcrumbs: z.array(z.record(z.unknown())).max(LIMITS.storedBreadcrumbs).nullable(),
  context: z.record(z.unknown()).nullable(),
  // Added for Sentry ingest (optional: older events have neither): the SDK's event id, which
  // feedback links to, and the deployment environment.
  eventId: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .nullable()
    .optional(),
  environment: z.string().max(64).nullable().optional(),
});
export type CrashReported = z.infer<typeof crashReportedSchema>;

export const crashReported = defineContract({
  flowType: CRASH_FLOW,
  eventType: CRASH_REPORTED,
  description: "A crash was reported (stack parsed and scrubbed, fingerprinted)",
  schema: crashReportedSchema,
  label: "crash",
  noun: ["crash", "crashes"],
  tables: ["crashes", "crash_groups"],
  project: projectCrashes,
});
