/**
 * Per-client token buckets: each client may send `burst` requests at once and `rate` per second
 * after that. O(1) per request and bounded in memory, so a flood from one client costs others
 * nothing. Keys live only in this process's memory and are swept once their bucket is full again.
 */
export interface RateLimiter {
  /** 0 when the request may proceed, else seconds until it would be allowed. */
  take(key: string): number;
  readonly size: number;
}

export function createRateLimiter(opts: { rate: number; burst: number; maxKeys?: number; now?: () => number }): RateLimiter {
  const { rate, burst } = opts;
  const maxKeys = opts.maxKeys ?? 100_000;
  const now = opts.now ?? (() => performance.now());
  const buckets = new Map<string, { tokens: number; at: number }>();
  let lastSweep = now();

  function sweep(t: number) {
    lastSweep = t;
    const fullAfterMs = (burst / rate) * 1000;
    for (const [k, b] of buckets) if (t - b.at >= fullAfterMs) buckets.delete(k);
    // Still too many (a flood of distinct addresses): drop the oldest entries.
    if (buckets.size > maxKeys) {
      let excess = buckets.size - Math.floor(maxKeys * 0.9);
      for (const k of buckets.keys()) {
        if (excess-- <= 0) break;
        buckets.delete(k);
      }
    }
  }

  return {
    take(key) {
      const t = now();
      if (t - lastSweep > 10_000 || buckets.size > maxKeys) sweep(t);
      let b = buckets.get(key);
      if (!b) {
        b = { tokens: burst, at: t };
        buckets.set(key, b);
      } else {
        b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * rate);
        b.at = t;
      }
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / rate));
    },
    get size() {
      return buckets.size;
    },
  };
}
