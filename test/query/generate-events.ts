import type { StoredEvent } from "../../src/pathways/projector.ts";
import { CUSTOM_EVENT_FLOW, CUSTOM_EVENT_TRACKED, PAGEVIEW_FLOW, PAGEVIEW_TRACKED } from "../../src/pathways/contracts/index.ts";

/** A seeded PRNG (mulberry32), so a failing case can be reproduced from its seed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const PAGES = ["/", "/pricing", "/blog", "/blog/one", "/blog/two", "/docs", "/docs/api", "/about"];
const SOURCES: [string | null, string | null][] = [
  [null, null],
  ["Google", "google.com"],
  ["Twitter", "t.co"],
  ["news.example", "news.example"],
  ["Bing", "bing.com"],
];
const COUNTRIES = ["DE", "FR", "US", "GB", null];
const BROWSERS: [string, string][] = [
  ["Chrome", "131"],
  ["Firefox", "133"],
  ["Safari", "18"],
];
const DEVICES = ["desktop", "mobile", "tablet"] as const;
const MIN = 60_000;

function uuid(r: ReturnType<typeof rng>): string {
  const hex = (n: number) => Array.from({ length: n }, () => r.int(16).toString(16)).join("");
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

/**
 * Visitors with runs of page views and custom events whose gaps sit just under and just over the
 * 30-minute rule, some on either side of a midnight (UTC and the test's other time zone), single
 * page-view bounces, and events with properties. Deterministic for a seed.
 */
export function generateEvents(opts: { seed: number; visitors: number; site?: string; start: Date; days: number }): StoredEvent[] {
  const r = rng(opts.seed);
  const site = opts.site ?? "example.com";
  const out: StoredEvent[] = [];
  const gaps = [30 * MIN - 1000, 30 * MIN, 30 * MIN + 1000, 5 * MIN, 45 * MIN, 2 * MIN, 29 * MIN + 59_000, 31 * MIN];
  for (let v = 0; v < opts.visitors; v++) {
    const visitorHash = Array.from({ length: 32 }, () => r.int(16).toString(16)).join("");
    const day = r.int(opts.days);
    const dayStart = opts.start.getTime() + day * 86_400_000;
    // Start anywhere in the UTC day, often near 22:00–23:59 (midnight in UTC+1/+2 zones).
    let t = dayStart + (r.next() < 0.3 ? 22 * 60 * MIN + r.int(110) * MIN : r.int(20 * 60) * MIN);
    const [source, host] = r.pick(SOURCES);
    const country = r.pick(COUNTRIES);
    const [browser, browserVersion] = r.pick(BROWSERS);
    const deviceType = r.pick(DEVICES);
    const utm =
      r.next() < 0.2 ? { utmSource: "newsletter", utmMedium: "email", utmCampaign: r.pick(["spring", "autumn"]) } : { utmSource: null, utmMedium: null, utmCampaign: null };
    const n = 1 + r.int(6);
    for (let i = 0; i < n; i++) {
      if (t >= dayStart + 86_400_000) break; // the hash would have rotated
      const base = {
        ingestId: uuid(r),
        site,
        pathname: r.pick(PAGES),
        referrer: host ? `https://${host}/` : null,
        referrerHost: host,
        referrerSource: utm.utmSource ?? source,
        browser,
        browserVersion,
        os: "Linux",
        osVersion: null,
        deviceType,
        ...(country ? { country } : {}),
        visitorHash,
        occurredAt: new Date(t).toISOString(),
      };
      if (i > 0 && r.next() < 0.25) {
        out.push({
          flowType: CUSTOM_EVENT_FLOW,
          eventType: CUSTOM_EVENT_TRACKED,
          payload: { ...base, eventName: r.pick(["signup", "download"]), properties: r.next() < 0.7 ? { plan: r.pick(["free", "pro"]) } : {} },
        });
      } else {
        out.push({
          flowType: PAGEVIEW_FLOW,
          eventType: PAGEVIEW_TRACKED,
          payload: { ...base, url: null, title: null, ...utm, utmTerm: null, utmContent: null },
        });
      }
      t += r.pick(gaps) + r.int(3) * 1000 * (r.next() < 0.5 ? 0 : 1);
    }
  }
  return out;
}

/** Fisher–Yates with the seeded PRNG. */
export function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const r = rng(seed);
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
