import { Reader } from "mmdb-lib";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { isIP } from "node:net";
import type { Step } from "../context.ts";

/**
 * Client address → ISO 3166-1 alpha-2 country code, or null. The database is the CC0 package
 * `@ip-location-db/geo-whois-asn-country-mmdb` (data: NRO statistics under CC BY 4.0, credited in
 * the README), read once into memory (~15 MB) on first use. Only the country is looked up: no
 * city, region or network; the address itself is dropped by the caller right after.
 *
 * A deployment behind a CDN that already resolves the country can name the header it sets
 * (COUNTRY_HEADER=cf-ipcountry); that header is trusted only when configured, because any
 * client can send it.
 */
const MMDB = "@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb";
type Entry = { country_code?: string };
let reader: Reader<never> | null = null;

function db(): Reader<never> {
  reader ??= new Reader<never>(readFileSync(createRequire(import.meta.url).resolve(MMDB)));
  return reader;
}

/** Loads the database now (start-up) rather than on the first event. */
export function preloadCountryDatabase(): void {
  db();
}

const ISO = /^[A-Z]{2}$/;
// Codes CDNs use for "unknown" or "Tor", not countries.
const NOT_COUNTRIES = new Set(["XX", "T1", "ZZ"]);

export function lookupCountry(ip: string, headerValue: string | null = null): string | null {
  if (headerValue !== null) {
    const code = headerValue.trim().toUpperCase();
    return ISO.test(code) && !NOT_COUNTRIES.has(code) ? code : null;
  }
  if (!isIP(ip)) return null;
  try {
    const code = (db().get(ip) as Entry | null)?.country_code?.toUpperCase() ?? null;
    return code && ISO.test(code) ? code : null;
  } catch {
    return null;
  }
}

/** Step `lookup_country`: before `hash_visitor`, the last step that may read the address. */
export const lookupCountryStep: Step = (ctx) => {
  ctx.country = lookupCountry(ctx.req.client.ip, ctx.req.client.countryHeader ?? null);
  return ctx;
};
