import { describe, expect, test } from "bun:test";
import { rollupDelta, type SignedVisit } from "../../src/pathways/handlers/rollup-delta.ts";
import { VISIT_ATTRIBUTES } from "../../src/pathways/handlers/visit-dimensions.ts";
import { referenceRollupDelta } from "./rollup-delta-reference.ts";

/** A small deterministic generator, so a failure reproduces. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomVisits(seed: number, n: number): SignedVisit[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const out: SignedVisit[] = [];
  for (let i = 0; i < n; i++) {
    const attrs: Record<string, string | null> = {};
    for (const dim of Object.keys(VISIT_ATTRIBUTES)) attrs[dim] = r() < 0.2 ? null : pick(["a", "b", "c"]);
    const pages: Record<string, number> = {};
    for (let p = 0; p < 1 + Math.floor(r() * 3); p++) pages[pick(["/", "/x", "/y", "/z"])] = 1 + Math.floor(r() * 3);
    const eventNames: Record<string, number> = {};
    const props: SignedVisit["props"] = {};
    if (r() < 0.5) {
      const name = pick(["signup", "buy"]);
      eventNames[name] = 1 + Math.floor(r() * 2);
      if (r() < 0.7) props[name] = { plan: { [pick(["free", "pro"])]: 1 }, ...(r() < 0.5 ? { ref: { [pick(["a", "b"])]: 2 } } : {}) };
    }
    out.push({
      sign: r() < 0.6 ? 1 : -1,
      site: pick(["one.example", "two.example"]),
      day: pick(["2026-11-01", "2026-11-02"]),
      // Few visitors, so many have several visits, in no particular order.
      visitor_hash: pick(["v1", "v2", "v3", "v4", "v5"]),
      pageviews: Object.values(pages).reduce((a, b) => a + b, 0),
      events: Object.values(eventNames).reduce((a, b) => a + b, 0),
      bounce: r() < 0.3,
      duration_ms: Math.floor(r() * 100_000),
      attrs,
      pages,
      event_names: eventNames,
      props,
    });
  }
  return out;
}

describe("rollupDelta", () => {
  test("equals the straightforward reference on random visits (visitors counted once per value, signs, props)", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const visits = randomVisits(seed, 1 + (seed % 40));
      expect(rollupDelta(visits)).toEqual(referenceRollupDelta(visits));
    }
  });

  test("a visitor with two visits on the same page counts once there, and +1/-1 of the same visit cancel out", () => {
    const [a] = randomVisits(7, 1);
    const visit = { ...a!, sign: 1 as const, pages: { "/": 1 }, pageviews: 1, event_names: {}, events: 0, props: {} };
    const page = (rows: ReturnType<typeof rollupDelta>) => rows.find((r) => r.dim === "page" && r.value === "/");
    expect(page(rollupDelta([visit, { ...visit, duration_ms: 5 }]))).toMatchObject({ visitors: 1, visits: 2, pageviews: 2 });
    expect(rollupDelta([visit, { ...visit, sign: -1 }])).toEqual([]);
    expect(rollupDelta([])).toEqual([]);
  });
});
