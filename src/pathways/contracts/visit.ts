import { z } from "zod";

/**
 * Fields every event carries after the ingest pipeline: where it happened, the enriched client
 * class, and the visitor hash. Never a raw IP address or user-agent string.
 */
export const visitFields = {
  ingestId: z.string().uuid(),
  site: z.string().min(1).max(253),
  pathname: z.string().max(2048),
  referrer: z.string().max(2048).nullable(),
  referrerHost: z.string().max(253).nullable(),
  referrerSource: z.string().max(100).nullable(),
  browser: z.string().max(100).nullable(),
  browserVersion: z.string().max(50).nullable(),
  os: z.string().max(100).nullable(),
  osVersion: z.string().max(50).nullable(),
  deviceType: z.enum(["desktop", "mobile", "tablet", "other"]),
  visitorHash: z.string().regex(/^[0-9a-f]{32}$/),
  occurredAt: z.string().datetime({ offset: true }),
};
