import type { SaltStore } from "../privacy/salt.ts";
import type { Utm } from "./steps/normalise-url.ts";
import type { ClientInfo, Drop, IngestRequest, ReferrerInfo } from "./types.ts";

/** What the steps share: the request, and the derived values each step fills in, in order. */
export interface IngestContext {
  readonly req: IngestRequest;
  /** resolve_site */
  site: string;
  /** clean_url: path without query or fragment; null for a crash sent without page information. */
  pathname: string;
  /** clean_url: origin + path only. */
  url: string | null;
  utm: Utm;
  /** classify_referrer */
  referrer: ReferrerInfo;
  /** parse_client */
  client: ClientInfo;
  /** lookup_country: ISO 3166-1 alpha-2, or null when unknown. */
  country: string | null;
  /** hash_visitor */
  visitorHash: string;
  /** check_project: the project a key proved (events may carry it; null without a key). */
  projectId: number | null;
}

export interface PipelineDeps {
  salts: SaltStore;
  allowedSites: string[] | null;
  newId: () => string;
  /**
   * REGISTERED_SITES_ONLY: whether a site is a registered project's (check_project drops the
   * others as unknown_site). Unset: any site is accepted.
   */
  isRegisteredSite?: (site: string) => Promise<boolean>;
  /** Called with each step's duration (the ingest-step histogram). */
  observeStep?: (step: string, seconds: number) => void;
}

/** One named step: returns the context (filled in further) or a drop with its reason. */
export type Step = (ctx: IngestContext, deps: PipelineDeps) => IngestContext | Drop | Promise<IngestContext | Drop>;

export function newContext(req: IngestRequest): IngestContext {
  return {
    req,
    site: "",
    pathname: "/",
    url: null,
    utm: { utmSource: null, utmMedium: null, utmCampaign: null, utmTerm: null, utmContent: null },
    referrer: { referrer: null, referrerHost: null, referrerSource: null },
    client: { browser: null, browserVersion: null, os: null, osVersion: null, deviceType: "other" },
    country: null,
    visitorHash: "",
    projectId: null,
  };
}
