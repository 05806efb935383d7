import { cleanReferrerCached } from "../../ingest/steps/clean-referrer.ts";

/**
 * Events written before referrers were cleaned (issue 10) may carry a referrer with personal data
 * in it (`https://mail.example.org/u/jane.doe@example.com/inbox?x=1`), or an IP address as the
 * referring host. Events are forever, so instead of rewriting the log the projection cleans the
 * referrer again on the way to the tables, with the same cleaning the ingest pipeline applies.
 * Cleaning is idempotent, so an event cleaned at ingest projects unchanged; and the result is
 * cached per referrer string, so for those the cost is one map lookup.
 */
export function recleanReferrer<P extends Record<string, unknown>>(payload: P): P {
  const referrer = payload.referrer;
  if (typeof referrer !== "string") return payload;
  const clean = cleanReferrerCached(referrer);
  const url = clean?.url ?? null;
  if (url === referrer) return payload; // the fast path: already clean
  const host = payload.referrerHost;
  const out: Record<string, unknown> = { ...payload, referrer: url };
  if (clean && typeof host === "string" && host !== clean.host) {
    out.referrerHost = clean.host;
    // An unknown referring host was its own source name: it is renamed with the host.
    if (payload.referrerSource === host) out.referrerSource = clean.host;
  }
  return out as P;
}
