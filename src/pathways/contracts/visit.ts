import { z } from "zod";
import { LIMITS } from "../../limits.ts";

/**
 * Fields every event carries after the ingest pipeline: where it happened, the enriched client
 * class, and the visitor hash. Never a raw IP address or user-agent string.
 */
export const visitFields = {
  ingestId: z.string().uuid(),
  site: z.string().min(1).max(LIMITS.site),
  pathname: z.string().max(LIMITS.pathname),
  referrer: z.string().max(LIMITS.referrer).nullable(),
  referrerHost: z.string().max(LIMITS.referrerHost).nullable(),
  referrerSource: z.string().max(LIMITS.referrerSource).nullable(),
  browser: z.string().max(LIMITS.browser).nullable(),
  browserVersion: z.string().max(LIMITS.browserVersion).nullable(),
  os: z.string().max(LIMITS.os).nullable(),
  osVersion: z.string().max(LIMITS.osVersion).nullable(),
  deviceType: z.enum(["desktop", "mobile", "tablet", "other"]),
  /** ISO 3166-1 alpha-2 country of the client address; absent in events from before it existed. */
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .nullable()
    .optional(),
  visitorHash: z.string().regex(/^[0-9a-f]{32}$/),
  occurredAt: z.string().datetime({ offset: true }),
  /** The project a public key proved; absent on anonymous (browser) events and on older events. */
  projectId: z.number().int().positive().optional(),
};
