import { describe, expect, test } from "bun:test";
import { createRateLimiter } from "../../src/http/rate-limit.ts";

/** The token buckets with a fake clock: no waiting, no server. */
function limiter(opts: { rate: number; burst: number; maxKeys?: number }) {
  let now = 0;
  const l = createRateLimiter({ ...opts, now: () => now });
  return { l, advance: (ms: number) => (now += ms) };
}

describe("rate limiter", () => {
  test("a client gets `burst` requests at once, then waits; the answer says how long", () => {
    const { l } = limiter({ rate: 2, burst: 5 });
    expect(Array.from({ length: 5 }, () => l.take("a"))).toEqual([0, 0, 0, 0, 0]);
    expect(l.take("a")).toBe(1); // one token refills in 0.5 s: "retry in 1 s"
  });

  test("tokens refill at `rate` per second, never above `burst`", () => {
    const { l, advance } = limiter({ rate: 2, burst: 3 });
    for (let i = 0; i < 3; i++) l.take("a");
    expect(l.take("a")).toBeGreaterThan(0);
    advance(500); // +1 token
    expect(l.take("a")).toBe(0);
    expect(l.take("a")).toBeGreaterThan(0);
    advance(60_000); // long idle: back to 3, not 120
    expect([l.take("a"), l.take("a"), l.take("a"), l.take("a")].map((w) => w === 0)).toEqual([true, true, true, false]);
  });

  test("clients are independent: one flooding costs another nothing", () => {
    const { l } = limiter({ rate: 1, burst: 2 });
    for (let i = 0; i < 50; i++) l.take("noisy");
    expect(l.take("quiet")).toBe(0);
  });

  test("memory stays bounded under a flood of distinct keys; full buckets are swept", () => {
    const { l, advance } = limiter({ rate: 10, burst: 10, maxKeys: 1000 });
    for (let i = 0; i < 5000; i++) l.take(`k${i}`);
    expect(l.size).toBeLessThanOrEqual(1000);
    advance(20_000); // every bucket is full again and the sweep interval passed
    l.take("new");
    expect(l.size).toBe(1);
  });
});
