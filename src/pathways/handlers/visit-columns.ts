import type { z } from "zod";
import type { visitFields } from "../contracts/visit.ts";

type Visit = { [K in keyof typeof visitFields]: z.infer<(typeof visitFields)[K]> };

/** The columns every projection table shares, from the shared event fields. */
export function visitColumns(e: Visit) {
  return {
    id: e.ingestId,
    site: e.site,
    pathname: e.pathname,
    referrer: e.referrer,
    referrer_host: e.referrerHost,
    referrer_source: e.referrerSource,
    browser: e.browser,
    browser_version: e.browserVersion,
    os: e.os,
    os_version: e.osVersion,
    device_type: e.deviceType,
    visitor_hash: e.visitorHash,
    occurred_at: new Date(e.occurredAt),
  };
}
