/**
 * The typed ingest request: what an adapter (one per wire format, see adapters/) makes of an HTTP
 * request, and all the pipeline knows of it. Raw IP and user agent live only in `client`, and
 * no step after `hash_visitor` reads them.
 */
interface IngestBase {
  /** `countryHeader`: the trusted CDN country header's value, when COUNTRY_HEADER names one. */
  client: { ip: string; userAgent: string; countryHeader?: string | null };
  headers: { origin: string | null; referer: string | null };
  receivedAt: Date;
  /**
   * Set when the sender proved who it is (a project's public key): the bot filter then lets it
   * through, since servers and SDKs have no browser user agent. null for the public snippet.
   */
  auth: IngestAuth | null;
  /** The site as sent (any case, scheme or port; `resolve_site` normalises it), else null. */
  site: string | null;
  /** The full page URL as sent: utm_* are read from it; only origin + path is kept. */
  url: string | null;
  pathname: string | null;
  referrer: string | null;
}

/** A sender authenticated by a project's public key, and the sites that project owns. */
export interface IngestAuth {
  projectId: string;
  /** The project's domains, then its slug; the first is where events without a site go. */
  sites: readonly string[];
}

export type IngestRequest =
  | (IngestBase & { kind: "pageview"; title: string | null })
  | (IngestBase & { kind: "custom_event"; eventName: string; properties: Record<string, string | number | boolean> })
  | (IngestBase & { kind: "crash"; crash: CrashInput })
  | (IngestBase & { kind: "vitals"; vitals: VitalsInput });
export type IngestKind = IngestRequest["kind"];

/** A crash as sent, aliases resolved by the adapter; build-crash parses, scrubs and fingerprints it. */
export interface CrashInput {
  errorType: string;
  message: string;
  /** Error.prototype.stack text. */
  stack: string | null;
  /** Client-structured frames, checked frame by frame by the crash parser. */
  stackTrace: unknown[] | null;
  fingerprint: string[] | null;
  release: string | null;
  platform: string | null;
  osVersion: string | null;
  severity: "warning" | "error" | "fatal" | null;
  breadcrumbs: Record<string, unknown>[] | null;
  context: Record<string, unknown> | null;
  /** Sentry events: the SDK's event id (32 hex; feedback refers to it) and the environment. */
  eventId?: string | null;
  environment?: string | null;
}

/**
 * One page load's performance measurements (Web Vitals and navigation timing), in milliseconds
 * (CLS is unitless). A metric the page did not report is null.
 */
export interface VitalsInput {
  lcp: number | null;
  inp: number | null;
  cls: number | null;
  fcp: number | null;
  ttfb: number | null;
  domContentLoaded: number | null;
  load: number | null;
}

/** The closed list of reasons an event can be dropped (each is counted in metrics). */
export const DROP_REASONS = ["bot", "unknown_site", "missing_site"] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export class Drop {
  constructor(readonly reason: DropReason) {}
}

/**
 * Drops that are the sender's mistake rather than filtering: answered with this 4xx (and counted
 * as a rejected request) instead of a quiet 200 `accepted: false`.
 */
export const REJECTED_DROPS: Partial<Record<DropReason, { status: number; code: string; message: string }>> = {
  missing_site: { status: 422, code: "missing_site", message: "cannot tell which site this event is for: send `site` in the body, or an Origin/Referer header" },
};

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
