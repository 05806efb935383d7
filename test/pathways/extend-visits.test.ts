import { describe, expect, test } from "bun:test";
import { extendVisitor, mergeVisits } from "../../src/pathways/handlers/extend-visits.ts";
import { sessionise, type RawEvent, type VisitRow } from "../../src/pathways/handlers/sessionise.ts";
import { VISIT_GAP_MS } from "../../src/pathways/handlers/visit-dimensions.ts";

// The fast path must give exactly what sessionise gives on all the events: checked here on random
// histories, split at a random point into "stored" and "new" (in any order).

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const T0 = Date.parse("2026-11-20T08:00:00.000Z");
const PAGES = ["/", "/pricing", "/blog/a", "/__proto__", "/docs"];
const NAMES = ["signup", "__proto__", "download"];
const GAPS = [0, 1, 1_000, 60_000, VISIT_GAP_MS - 1, VISIT_GAP_MS, VISIT_GAP_MS + 1, 3 * VISIT_GAP_MS];

function history(random: () => number, n: number): RawEvent[] {
  const events: RawEvent[] = [];
  let at = T0;
  for (let i = 0; i < n; i++) {
    at += GAPS[Math.floor(random() * GAPS.length)]!;
    const kind = random() < 0.3 ? 1 : 0;
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    const name = pick(NAMES);
    events.push({
      kind,
      id: `0193-${String(i).padStart(4, "0")}-${Math.floor(random() * 1e6)}`,
      site: "example.com",
      visitor_hash: "v1",
      at,
      pathname: pick(PAGES),
      referrer: pick([null, "https://news.example/"]),
      referrer_source: pick([null, "News"]),
      channel: pick(["direct", "referral"]),
      utm_source: kind === 0 ? pick([null, "newsletter"]) : null,
      utm_medium: null,
      utm_campaign: null,
      utm_term: null,
      utm_content: null,
      country: pick([null, "DE", "FR"]),
      browser: pick(["Chrome", "Firefox"]),
      browser_version: "131",
      os: "Linux",
      os_version: null,
      device_type: pick(["desktop", "mobile"]),
      event_name: kind === 1 ? name : null,
      properties: kind === 1 ? { plan: pick(["free", "pro"]), __proto__x: 1, ...(random() < 0.3 ? { n: 1.5 } : {}) } : null,
    });
  }
  return events;
}

/** JSON with sorted keys, so maps built in different orders (or without prototypes) compare equal. */
function canonical(x: unknown): string {
  if (x === null || typeof x !== "object") return JSON.stringify(x);
  if (Array.isArray(x)) return `[${x.map(canonical).join(",")}]`;
  return `{${Object.keys(x)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical((x as Record<string, unknown>)[k])}`)
    .join(",")}}`;
}
const visitsOf = (vs: VisitRow[]) => canonical([...vs].sort((a, b) => a.started_at.localeCompare(b.started_at)));

function shuffle<T>(xs: T[], random: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("extendVisitor", () => {
  test("stored visits + later events = sessionise of all the events, on 3,000 random histories", () => {
    const random = rng(7);
    let extendedCount = 0;
    let nullCount = 0;
    for (let round = 0; round < 3000; round++) {
      const all = history(random, 1 + Math.floor(random() * 12));
      const cut = Math.floor(random() * (all.length + 1));
      const stored = all.slice(0, cut);
      const added = shuffle(all.slice(cut), random);
      const result = extendVisitor(sessionise(stored), added);
      const strictlyAfter = cut === 0 || cut === all.length || all[cut]!.at > all[cut - 1]!.at;
      if (!strictlyAfter) {
        // A new event tied with the last stored one: only a recomputation is right.
        expect(result).toBeNull();
        nullCount++;
        continue;
      }
      expect(result).not.toBeNull();
      expect(visitsOf(result!.visits)).toBe(visitsOf(sessionise(all)));
      // What is written: the extended visit and the fresh ones, and nothing else changes.
      const unchanged = result!.visits.filter((v) => v !== result!.extended && !result!.fresh.includes(v));
      expect(unchanged.length).toBe(sessionise(stored).length - (result!.extended ? 1 : 0));
      if (result!.extended) extendedCount++;
    }
    // The generator reaches every case.
    expect(extendedCount).toBeGreaterThan(300);
    expect(nullCount).toBeGreaterThan(30);
  });

  test("an event before the end of the last stored visit needs a recomputation", () => {
    const [a, b, c] = history(rng(3), 3).map((e, i) => ({ ...e, at: T0 + i * 1000 }));
    expect(extendVisitor(sessionise([a!, c!]), [b!])).toBeNull();
    expect(extendVisitor(sessionise([a!, b!]), [c!])).not.toBeNull();
  });

  test("no new events changes nothing; a first visit is just sessionised", () => {
    const events = history(rng(5), 6);
    const stored = sessionise(events);
    expect(extendVisitor(stored, [])).toEqual({ visits: stored, extended: null, fresh: [] });
    expect(visitsOf(extendVisitor([], events)!.visits)).toBe(visitsOf(stored));
  });
});

describe("mergeVisits", () => {
  test("a visit of custom events only takes its entry page and attributes from a later page view", () => {
    const [e1, p1] = history(rng(11), 2);
    const event = { ...e1!, kind: 1 as const, at: T0, event_name: "signup", pathname: "/a", country: "FR" };
    const view = { ...p1!, kind: 0 as const, at: T0 + 1000, event_name: null, properties: null, pathname: "/b", country: "DE" };
    const merged = mergeVisits(sessionise([event])[0]!, sessionise([view])[0]!);
    expect(merged).toMatchObject({ entry_page: "/b", exit_page: "/b", country: "DE", pageviews: 1, events: 1, bounce: false, duration_ms: 1000 });
    expect(canonical(merged)).toBe(canonical(sessionise([event, view])[0]));
  });
});
