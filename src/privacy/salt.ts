import { createHmac, randomBytes } from "node:crypto";
import { utcDay, type Clock } from "../clock.ts";
import type { Sql } from "../db/client.ts";

/**
 * Daily salts. A salt belongs to one UTC day. `random` mode keeps 32 random bytes per day in
 * Postgres (every instance sharing the database reads the same row) and deletes a day's salt once
 * it is neither today's nor yesterday's, so after at most 48 h nobody can recompute that day's
 * visitor hashes. `derived` mode is stateless: HMAC(SECRET_KEY, day), recomputable by whoever
 * holds the key, for deployments that cannot share state.
 */
export interface SaltStore {
  readonly mode: "random" | "derived";
  /** The salt for the UTC day containing `at`. */
  saltFor(at: Date): Promise<Buffer>;
  /** That salt when it is in memory (the usual case), else null: then ask saltFor. */
  cached(at: Date): Buffer | null;
  /** Ensures today's salt exists and deletes salts older than yesterday. */
  rotate(at: Date): Promise<void>;
}

export function derivedSaltStore(secretKey: string): SaltStore {
  const cache = new Map<string, Buffer>();
  const cached = (at: Date): Buffer => {
    const day = utcDay(at);
    let salt = cache.get(day);
    if (!salt) {
      salt = createHmac("sha256", secretKey).update(`analytics-salt:v1:${day}`).digest();
      cache.clear(); // one day at a time is all we need in memory
      cache.set(day, salt);
    }
    return salt;
  };
  return {
    mode: "derived",
    async saltFor(at) {
      return cached(at);
    },
    cached,
    async rotate() {},
  };
}

export function randomSaltStore(sql: Sql, schema: { ensure: () => Promise<void>; ready: () => Promise<boolean> }): SaltStore {
  const ensureSchema = schema.ensure;
  const cache = new Map<string, Buffer>();
  const pending = new Map<string, Promise<Buffer>>();

  const load = async (day: string): Promise<Buffer> => {
    await ensureSchema();
    // Insert-if-absent then read: concurrent instances all end up with the first row written.
    await sql`insert into salts (day, salt) values (${day}, ${randomBytes(32)}) on conflict (day) do nothing`;
    const [row] = await sql<{ salt: Buffer }[]>`select salt from salts where day = ${day}`;
    // First use of a new day also retires salts older than yesterday (the midnight job does too).
    await sql`delete from salts where day < ${previousDay(day)}`;
    if (!row) throw new Error(`salt for ${day} vanished`);
    return row.salt;
  };

  const forget = (today: string) => {
    const yesterday = previousDay(today);
    for (const day of cache.keys()) if (day !== today && day !== yesterday) cache.delete(day);
  };

  return {
    mode: "random",
    cached(at) {
      return cache.get(utcDay(at)) ?? null;
    },
    saltFor(at) {
      const day = utcDay(at);
      const hit = cache.get(day);
      if (hit) return Promise.resolve(hit);
      let p = pending.get(day);
      if (!p) {
        p = load(day)
          .then((salt) => {
            cache.set(day, salt);
            forget(day);
            return salt;
          })
          .finally(() => pending.delete(day));
        pending.set(day, p);
      }
      return p;
    },
    async rotate(at) {
      // Before the first event there is no salts table, and rotation must not create one.
      if (!(await schema.ready())) return;
      const today = utcDay(at);
      await this.saltFor(at);
      await sql`delete from salts where day < ${previousDay(today)}`;
      forget(today);
    },
  };
}

export function previousDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return utcDay(d);
}

/** Calls `rotate` at every 00:00 UTC (and once now). Returns a stop function. */
export function scheduleSaltRotation(store: SaltStore, clock: Clock, onRotate: (ok: boolean, err?: unknown) => void): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const tick = async () => {
    try {
      await store.rotate(clock());
      onRotate(true);
    } catch (err) {
      onRotate(false, err);
    }
    if (stopped) return;
    const now = clock();
    const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    // Retry in a minute after a failure (database down); otherwise wake just after midnight.
    timer = setTimeout(tick, Math.min(next - now.getTime() + 50, 60_000 * 60));
    timer.unref?.();
  };
  void tick();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
