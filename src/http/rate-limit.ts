import { isIPv4, isIPv6 } from "node:net";

/**
 * Per-client token buckets: each client may send `burst` requests at once and `rate` per second
 * after that. O(1) per request and bounded in memory, so a flood from one client costs others
 * nothing. Keys live only in this process's memory and are swept once their bucket is full again.
 */
export interface RateLimiter {
  /** Takes a token for this client address: 0 when the request may proceed, else seconds to wait. */
  take(clientAddress: string): number;
  readonly size: number;
}

/**
 * The bucket a client address counts against. An IPv4 address is one client. An IPv6 host is
 * normally given a whole /64 and can pick any of its 2^64 addresses, so one bucket per address
 * would let it walk past the limit: the bucket is the /64. (Only the limiter does this; the
 * visitor hash keeps the full address.) An IPv4-mapped IPv6 address counts as the IPv4 address.
 */
const DOTTED_QUAD = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

export function rateLimitBucket(address: string): string {
  if (DOTTED_QUAD.test(address)) return address; // the common case, answered without parsing
  let a = address.trim();
  if (a.startsWith("[")) a = a.slice(1, a.indexOf("]") > 0 ? a.indexOf("]") : undefined);
  a = a.replace(/%.*$/, "").toLowerCase(); // zone id (fe80::1%eth0)
  if (isIPv4(a) || !isIPv6(a)) return a;
  const groups = expandIPv6(a);
  if (groups.slice(0, 5).every((g) => g === "0") && groups[5] === "ffff") {
    const [hi, lo] = [parseInt(groups[6]!, 16), parseInt(groups[7]!, 16)];
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return `${groups.slice(0, 4).join(":")}::/64`;
}

/** "2001:db8::1" → the eight groups without leading zeros; a dotted IPv4 tail becomes two groups. */
function expandIPv6(address: string): string[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [b0, b1, b2, b3] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, dotted.index) + ((b0 << 8) | b1).toString(16) + ":" + ((b2 << 8) | b3).toString(16);
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return groups.map((g) => parseInt(g, 16).toString(16));
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
    take(clientAddress) {
      const key = rateLimitBucket(clientAddress);
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
