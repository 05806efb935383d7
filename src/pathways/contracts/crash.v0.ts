import { z } from "zod";
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
  pathname: z.string().max(2048).nullable(),
  errorType: z.string().min(1).max(200),
  message: z.string().max(2000),
  frames: z.array(stackFrameSchema).max(64),
  /** Added later, hence optional: a stack no parser understood, scrubbed and capped (16 KB). */
  rawStack: z.string().max(16_384).optional(),
  fingerprint: z.object({ version: z.string(), hash: z.string().regex(/^[0-9a-f]{64}$/) }),
  release: z.string().max(200).nullable(),
  platform: z.string().max(100).nullable(),
  osVersion: z.string().max(100).nullable(),
  severity: z.enum(["warning", "error", "fatal"]),
  breadcrumbs: z.array(z.record(z.unknown())).max(50).nullable(),
  context: z.record(z.unknown()).nullable(),
});
export type CrashReported = z.infer<typeof crashReportedSchema>;
