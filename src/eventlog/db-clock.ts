import type { Sql } from "../db/client.ts";

/**
 * How far the database's clock is ahead of ours (ms). Commit deadlines are absolute times the
 * database checks against its own clock, so a skewed database clock would refuse every write (or
 * accept late ones); the offset corrects for it. Sampled in the background at most once a
 * minute, never on a commit's path: a sample that takes longer than 200 ms (a slow or frozen
 * database) is discarded, since its midpoint says little.
 */
export function createDbClock(sql: Sql, opts: { everyMs?: number; now?: () => number } = {}) {
  const everyMs = opts.everyMs ?? 60_000;
  const now = opts.now ?? Date.now;
  let offsetMs = 0;
  let sampledAt = -Infinity;
  let sampling: Promise<void> | null = null;

  async function sample() {
    const t0 = now();
    const [row] = await sql`select (extract(epoch from clock_timestamp()) * 1000)::float8 as t`;
    const t1 = now();
    if (t1 - t0 <= 200) offsetMs = Number(row!.t) - (t0 + t1) / 2;
  }

  return {
    get offsetMs() {
      return offsetMs;
    },
    /** true once a sample has been attempted (successful or not). */
    get sampled() {
      return sampledAt !== -Infinity;
    },
    /** Starts a new sample when the last one is older than `everyMs` (fire and forget). */
    refresh(): Promise<void> {
      if (sampling || now() - sampledAt < everyMs) return sampling ?? Promise.resolve();
      sampledAt = now();
      sampling = sample()
        .catch(() => {})
        .finally(() => (sampling = null));
      return sampling;
    },
  };
}
export type DbClock = ReturnType<typeof createDbClock>;
