import { isIP } from "node:net";
import { scrubMessage } from "../../crash/scrub.ts";
import { createLru } from "../lru.ts";

/**
 * What is kept of a referrer: the referring page's host and its path, cleaned like a crash
 * message. A referrer is someone else's URL, and webmail, CRMs and admin panels put their users
 * in it (`/u/jane.doe@example.com/inbox`, `/reset/9f86d081…`, `/hosts/203.0.113.9`), so:
 * - the query string, fragment, user name/password and `;params` are dropped;
 * - each path segment goes through the crash scrubber (emails → `<email>`, IPs → `<ip>`, secrets
 *   and `key=value` tokens → `<token>`, card numbers → `<card>`);
 * - words that look random (16+ letters and digits mixed, UUIDs) → `<token>`, and runs of 7+
 *   digits (phone, account and order numbers) → `<number>`;
 * - a host that is an IP address is kept only as `<ip>`, with no path.
 * The cleaning is idempotent, so cleaning a cleaned referrer changes nothing.
 */
export interface CleanReferrer {
  /** Origin + cleaned path, or null when only the host may be kept. */
  url: string | null;
  /** Lower-case host without `www.` (`<ip>` for an address). */
  host: string;
}

const MAX_URL_LENGTH = 2048;

export function cleanReferrer(referrer: string | null | undefined): CleanReferrer | null {
  if (!referrer) return null;
  let u: URL;
  try {
    u = new URL(referrer.trim());
  } catch {
    return null;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return null;
  const hostname = u.hostname.toLowerCase();
  if (!hostname) return null;
  if (isIP(hostname.replace(/^\[|\]$/g, "")) !== 0) return { url: null, host: "<ip>" };
  const url = `${u.protocol}//${u.host.toLowerCase()}${cleanPath(u.pathname)}`;
  return { url: url.length > MAX_URL_LENGTH ? url.slice(0, MAX_URL_LENGTH) : url, host: hostname.replace(/^www\./, "") };
}

// Cleaning parses the URL and runs the scrubber's expressions over every path segment (tens of
// µs), while most visits come from a few hundred distinct referrers: results are kept per
// referrer string (bounded, in this process's memory only; the values are what is stored anyway).
const cleaned = createLru<CleanReferrer | null>(10_000, MAX_URL_LENGTH);

/** cleanReferrer with a cache: the ingest step and the projection's re-cleaning call it per event. */
export function cleanReferrerCached(referrer: string | null | undefined): CleanReferrer | null {
  if (!referrer) return null;
  const hit = cleaned.get(referrer);
  return hit !== undefined ? hit : cleaned.set(referrer, cleanReferrer(referrer));
}

/**
 * A URL path (as `URL.pathname` gives it, percent-encoded) → readable text without personal data.
 * Segments are scrubbed one by one: a crash message's `/home/<name>` rule must not turn a web
 * app's `/home/dashboard` into `/home/<user>`, and no other rule spans a `/`.
 */
export function cleanPath(pathname: string): string {
  const cleaned = pathname
    .split("/")
    .map((segment) => maskSegment(scrubMessage(safeDecode(segment.replace(/;.*$/, "")))))
    .join("/");
  return cleaned.length > MAX_URL_LENGTH ? cleaned.slice(0, MAX_URL_LENGTH) : cleaned || "/";
}

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
/** A run of 16+ letters and digits; `looksRandom` decides. Words joined by - _ . stay separate. */
const LONG_WORD = /[A-Za-z0-9]{16,}/g;
const LONG_NUMBER = /\d{7,}/g;

function maskSegment(segment: string): string {
  return segment
    .replace(UUID, "<token>")
    .replace(LONG_WORD, (word) => (looksRandom(word) ? "<token>" : word))
    .replace(LONG_NUMBER, "<number>");
}

/** Session ids, reset tokens and hashes mix letters and digits; words and CamelCase names do not. */
function looksRandom(word: string): boolean {
  return /\d/.test(word) && /[A-Za-z]/.test(word);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
