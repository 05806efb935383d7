import { CRASH_FLOW, CRASH_REPORTED, CUSTOM_EVENT_FLOW, CUSTOM_EVENT_TRACKED, PAGEVIEW_FLOW, PAGEVIEW_TRACKED } from "../src/pathways/contracts/index.ts";
import type { StoredEvent } from "../src/pathways/projector.ts";

/**
 * Synthetic traffic for bench:query, one UTC day at a time and in time order (as ingest would
 * deliver it): visits with a skewed choice of 500 paths, 50 sources, 30 countries, a few browsers
 * and devices; about 3.3 page views per visit, 40 % bounces, some visitors coming back after more
 * than 30 minutes; custom events with a property on ~5 % of page views; a few crashes; and 10 %
 * extra traffic on other sites (noise the queries must skip). Deterministic (seeded).
 */
export const PATHS = Array.from({ length: 500 }, (_, i) => (i === 0 ? "/" : i < 50 ? `/docs/page-${i}` : `/blog/post-${i}`));
export const SOURCES = Array.from({ length: 50 }, (_, i) =>
  i === 0 ? [null, null] : i === 1 ? ["Google", "google.com"] : i === 2 ? ["Twitter", "t.co"] : i === 3 ? ["Bing", "bing.com"] : [`site-${i}.example`, `site-${i}.example`],
) as [string | null, string | null][];
export const COUNTRIES = [
  "US",
  "DE",
  "GB",
  "FR",
  "IN",
  "CA",
  "NL",
  "BR",
  "ES",
  "IT",
  "SE",
  "PL",
  "AU",
  "JP",
  "CH",
  "AT",
  "BE",
  "DK",
  "NO",
  "FI",
  "IE",
  "PT",
  "CZ",
  "MX",
  "AR",
  "ZA",
  "KR",
  "SG",
  "NZ",
  "TR",
];
const BROWSERS = [
  ["Chrome", "131", "Windows", "10", "desktop"],
  ["Safari", "18", "iOS", "18", "mobile"],
  ["Chrome", "131", "Android", "14", "mobile"],
  ["Firefox", "133", "Linux", null, "desktop"],
  ["Edge", "131", "Windows", "11", "desktop"],
  ["Safari", "18", "Mac OS", "14", "desktop"],
  ["Samsung Browser", "26", "Android", "14", "tablet"],
] as const;

function mulberry(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** Index in [0, n) with a Zipf-like skew (s ≈ 1). */
function zipf(r: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(Math.exp(r() * Math.log(n + 1))) - 1);
}
const hex = (r: () => number, n: number) => {
  let s = "";
  for (let i = 0; i < n; i++) s += ((r() * 16) | 0).toString(16);
  return s;
};
/** A UUIDv7 for time `at` (what the server gives every event: Bun.randomUUIDv7 at ingest), random bits from `r`. */
const uuid = (r: () => number, at: number) => {
  const ms = at.toString(16).padStart(12, "0");
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`;
};

/** The events of one UTC day, sorted by time. `pageviews` is the day's target for the main site. */
export function dayOfTraffic(dayStart: number, pageviews: number, seed: number, site = "bench.example"): StoredEvent[] {
  const r = mulberry(seed);
  const out: { at: number; e: StoredEvent }[] = [];
  const MIN = 60_000;
  const emit = (siteName: string, target: number) => {
    let made = 0;
    while (made < target) {
      const visitorHash = hex(r, 32);
      const [browser, browserVersion, os, osVersion, deviceType] = BROWSERS[zipf(r, BROWSERS.length)]!;
      const country = r() < 0.03 ? null : COUNTRIES[zipf(r, COUNTRIES.length)]!;
      const returns = r() < 0.2 ? 2 : 1;
      let t = dayStart + Math.floor(r() * 86_400_000);
      for (let v = 0; v < returns && made < target; v++) {
        const [source, host] = SOURCES[zipf(r, SOURCES.length)]!;
        const paid = r() < 0.05;
        const n = r() < 0.4 ? 1 : 2 + Math.floor(-Math.log(1 - r()) * 2.8);
        for (let i = 0; i < n && t < dayStart + 86_400_000; i++) {
          const common = {
            ingestId: uuid(r, t),
            site: siteName,
            pathname: PATHS[zipf(r, PATHS.length)]!,
            referrer: i === 0 && host ? `https://${host}/` : null,
            referrerHost: i === 0 ? host : null,
            referrerSource: i === 0 ? (paid ? "adwords" : source) : null,
            browser,
            browserVersion,
            os,
            osVersion,
            deviceType,
            country,
            visitorHash,
            occurredAt: new Date(t).toISOString(),
          };
          out.push({
            at: t,
            e: {
              flowType: PAGEVIEW_FLOW,
              eventType: PAGEVIEW_TRACKED,
              payload: {
                ...common,
                url: null,
                title: null,
                utmSource: paid && i === 0 ? "adwords" : null,
                utmMedium: paid && i === 0 ? "cpc" : null,
                utmCampaign: paid && i === 0 ? "winter" : null,
                utmTerm: null,
                utmContent: null,
              },
            },
          });
          made++;
          if (r() < 0.05) {
            const name = r() < 0.6 ? "signup" : r() < 0.5 ? "download" : "purchase";
            out.push({
              at: t + 1000,
              e: {
                flowType: CUSTOM_EVENT_FLOW,
                eventType: CUSTOM_EVENT_TRACKED,
                payload: {
                  ...common,
                  ingestId: uuid(r, t + 1000),
                  occurredAt: new Date(t + 1000).toISOString(),
                  eventName: name,
                  properties: { plan: r() < 0.7 ? "free" : "pro" },
                },
              },
            });
          }
          if (r() < 0.001) {
            out.push({
              at: t + 500,
              e: {
                flowType: CRASH_FLOW,
                eventType: CRASH_REPORTED,
                payload: {
                  ...common,
                  ingestId: uuid(r, t + 500),
                  occurredAt: new Date(t + 500).toISOString(),
                  errorType: "TypeError",
                  message: `x${zipf(r, 20)} is undefined`,
                  frames: [],
                  fingerprint: { version: "v1", hash: hex(r, 2).repeat(32) },
                  release: `1.${zipf(r, 5)}.0`,
                  platform: "javascript",
                  osVersion: null,
                  severity: "error",
                  breadcrumbs: null,
                  context: null,
                },
              },
            });
          }
          t += 5_000 + Math.floor(-Math.log(1 - r()) * 90_000);
        }
        t += 31 * MIN + Math.floor(r() * 120 * MIN); // the return visit, after the 30-minute rule
      }
    }
  };
  emit(site, pageviews);
  for (let s = 0; s < 5; s++) emit(`noise-${s}.example`, Math.floor(pageviews / 50));
  out.sort((a, b) => a.at - b.at);
  return out.map((x) => x.e);
}
