import { describe, expect, test } from "bun:test";
import { createRateLimiter, rateLimitBucket } from "../../src/http/rate-limit.ts";

describe("rate-limit buckets", () => {
  test("IPv6 addresses share the bucket of their /64; IPv4 addresses are one bucket each", () => {
    expect(rateLimitBucket("2001:db8:85a3:7:1:2:3:4")).toBe("2001:db8:85a3:7::/64");
    expect(rateLimitBucket("2001:DB8:85a3:0007::ffff")).toBe("2001:db8:85a3:7::/64");
    expect(rateLimitBucket("[2001:db8:85a3:7::1]")).toBe("2001:db8:85a3:7::/64");
    expect(rateLimitBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(rateLimitBucket("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(rateLimitBucket("2001:db8::10.1.2.3")).toBe("2001:db8:0:0::/64");
    expect(rateLimitBucket("203.0.113.7")).toBe("203.0.113.7");
    // IPv4 clients on a dual-stack socket appear IPv4-mapped: still one IPv4 client.
    expect(rateLimitBucket("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(rateLimitBucket("::ffff:cb00:7107")).toBe("203.0.113.7");
    expect(rateLimitBucket("not-an-ip")).toBe("not-an-ip");
  });

  test("a /64 cannot walk past the limit by changing addresses", () => {
    let t = 0;
    const limiter = createRateLimiter({ rate: 1, burst: 3, now: () => t });
    const results = Array.from({ length: 5 }, (_, i) => limiter.take(`2001:db8:1:2::${(i + 1).toString(16)}`));
    expect(results).toEqual([0, 0, 0, 1, 1]);
    // Another /64 and an IPv4 client are not affected.
    expect(limiter.take("2001:db8:1:3::1")).toBe(0);
    expect(limiter.take("203.0.113.7")).toBe(0);
    // The full addresses were never the keys: one bucket per /64.
    expect(limiter.size).toBe(3);
    t += 1000;
    expect(limiter.take("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe(0);
  });
});
