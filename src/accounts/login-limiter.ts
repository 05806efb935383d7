import type { Clock } from "../clock.ts";
import { createLru } from "../ingest/lru.ts";

/**
 * Login attempts are limited per client address and per account (the email as typed, known or
 * not, so the limit itself says nothing about which emails exist). After a few free failures each
 * further failure doubles the wait, up to MAX_DELAY_MS; a quiet hour forgets them, and a
 * successful login clears its account. In process memory, bounded by an LRU.
 */
export interface LoginLimiter {
  /** Seconds to wait before another attempt for any of `keys`, or 0. */
  retryAfter(keys: string[]): number;
  failed(keys: string[]): void;
  succeeded(key: string): void;
}

export interface LimiterPolicy {
  freeFailures: number;
  baseDelayMs: number;
}

export const ACCOUNT_POLICY: LimiterPolicy = { freeFailures: 5, baseDelayMs: 1_000 };
export const CLIENT_POLICY: LimiterPolicy = { freeFailures: 20, baseDelayMs: 1_000 };
const MAX_DELAY_MS = 15 * 60_000;
const FORGET_AFTER_MS = 60 * 60_000;

interface Entry {
  failures: number;
  lastFailure: number;
  blockedUntil: number;
}

export function createLoginLimiter(clock: Clock, policy: (key: string) => LimiterPolicy = (k) => (k.startsWith("client:") ? CLIENT_POLICY : ACCOUNT_POLICY)): LoginLimiter {
  const entries = createLru<Entry>(50_000);
  const live = (key: string, now: number) => {
    const e = entries.get(key);
    return e && now - e.lastFailure < FORGET_AFTER_MS ? e : undefined;
  };
  return {
    retryAfter(keys) {
      const now = clock().getTime();
      let wait = 0;
      for (const k of keys) wait = Math.max(wait, (live(k, now)?.blockedUntil ?? 0) - now);
      return wait > 0 ? Math.ceil(wait / 1000) : 0;
    },
    failed(keys) {
      const now = clock().getTime();
      for (const k of keys) {
        const e = live(k, now) ?? { failures: 0, lastFailure: now, blockedUntil: 0 };
        e.failures++;
        e.lastFailure = now;
        const { freeFailures, baseDelayMs } = policy(k);
        const over = e.failures - freeFailures;
        if (over > 0) e.blockedUntil = now + Math.min(MAX_DELAY_MS, baseDelayMs * 2 ** Math.min(over - 1, 20));
        entries.set(k, e);
      }
    },
    succeeded(key) {
      const e = entries.get(key);
      if (e) entries.set(key, { failures: 0, lastFailure: 0, blockedUntil: 0 });
    },
  };
}
