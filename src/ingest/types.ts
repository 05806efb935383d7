/** What the HTTP layer hands the pipeline. Raw IP and user agent live only in `client`. */
export interface IngestRequest {
  kind: "pageview" | "custom_event" | "crash";
  body: Record<string, unknown>;
  client: { ip: string; userAgent: string };
  headers: { origin: string | null; referer: string | null };
  receivedAt: Date;
}

/** The closed list of reasons an event can be dropped (each is counted in metrics). */
export const DROP_REASONS = ["bot", "unknown_site"] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export class Drop {
  constructor(readonly reason: DropReason) {}
}

export interface ClientInfo {
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  osVersion: string | null;
  deviceType: "desktop" | "mobile" | "tablet" | "other";
}

export interface ReferrerInfo {
  referrer: string | null;
  referrerHost: string | null;
  referrerSource: string | null;
}
