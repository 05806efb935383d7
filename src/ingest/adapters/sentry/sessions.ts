import { createHmac, randomBytes } from "node:crypto";
import { createLru } from "../../lru.ts";
import { list, record, text, timestamp } from "./clean.ts";
import { SENTRY_LIMITS } from "./limits.ts";

/** Session counts for one project, release, environment and hour. */
export interface SessionCounts {
  release: string;
  environment: string;
  /** Start of the UTC hour the sessions started in. */
  hour: Date;
  started: number;
  errored: number;
  crashed: number;
  abnormal: number;
}

/**
 * What this process has already counted for a session, so repeated updates of one session (an
 * SDK sends one when it starts, when it first errors, and when it ends) count it once per
 * outcome. The key is an HMAC of the session id under a random key that lives only in this
 * process's memory: the id itself is never kept, and nothing here is stored, logged or emitted.
 * Bounded: the least recently seen sessions are forgotten first.
 */
export function createSessionMemory(max = 200_000) {
  const key = randomBytes(32);
  const seen = createLru<number>(max, 128);
  return {
    /** Returns the flags not yet counted among `flags`, and remembers them. */
    claim(projectId: number, sid: string, flags: number): number {
      const k = createHmac("sha256", key).update(`${projectId}\n${sid}`).digest("base64");
      const before = seen.get(k) ?? 0;
      const fresh = flags & ~before;
      if (fresh !== 0 || before === 0) seen.set(k, before | flags);
      return fresh;
    },
  };
}
export type SessionMemory = ReturnType<typeof createSessionMemory>;

const ERRORED = 1;
const CRASHED = 2;
const ABNORMAL = 4;
/** Sessions older than this are counted in the hour they arrive (clock skew, replays of old queues). */
const MAX_AGE_MS = 7 * 24 * 3600 * 1000;

/**
 * A `session` item (one session's update) → the counts it adds. `started` counts the update
 * with `init: true`; `errored` counts a session with errors or a bad end once, and includes the
 * crashed and abnormal ones (as Sentry's "errored sessions" do); `crashed` and `abnormal` count
 * those ends once. Returns null when there is nothing to add or no release (release health is
 * per release; Sentry drops such sessions too). `did`, `sid`, `attrs.ip_address` and
 * `attrs.user_agent` are read only for de-duplication (the sid) or not at all.
 */
export function sessionUpdateCounts(item: Record<string, unknown>, projectId: number, memory: SessionMemory, now: Date): SessionCounts | null {
  const attrs = record(item.attrs);
  const release = text(attrs?.release, 200);
  if (!release) return null;
  const status = typeof item.status === "string" ? item.status : "ok";
  const errors = typeof item.errors === "number" && item.errors > 0;
  let flags = 0;
  // "unhandled" (newer SDKs: an unhandled error that did not end the session) is an errored session.
  if (errors || status === "errored" || status === "unhandled" || status === "crashed" || status === "abnormal") flags |= ERRORED;
  if (status === "crashed") flags |= CRASHED;
  if (status === "abnormal") flags |= ABNORMAL;
  const sid = typeof item.sid === "string" && item.sid.length <= 128 ? item.sid : null;
  const fresh = sid ? memory.claim(projectId, sid, flags) : flags;
  const counts: SessionCounts = {
    release,
    environment: text(attrs?.environment, 64) ?? "production",
    hour: hourOf(timestamp(item.started), now),
    started: item.init === true ? 1 : 0,
    errored: fresh & ERRORED ? 1 : 0,
    crashed: fresh & CRASHED ? 1 : 0,
    abnormal: fresh & ABNORMAL ? 1 : 0,
  };
  return counts.started + counts.errored + counts.crashed + counts.abnormal > 0 ? counts : null;
}

/**
 * A `sessions` item (pre-aggregated by server SDKs: counts of ended sessions per start minute)
 * → counts per hour. Every counted session started; errored includes crashed and abnormal.
 */
export function sessionAggregateCounts(item: Record<string, unknown>, now: Date): SessionCounts[] {
  const attrs = record(item.attrs);
  const release = text(attrs?.release, 200);
  if (!release) return [];
  const environment = text(attrs?.environment, 64) ?? "production";
  const byHour = new Map<number, SessionCounts>();
  for (const b of list(item.aggregates).slice(0, SENTRY_LIMITS.sessionBuckets)) {
    const r = record(b);
    if (!r) continue;
    const n = (k: string) => (typeof r[k] === "number" && Number.isSafeInteger(r[k]) && (r[k] as number) > 0 ? Math.min(r[k] as number, 1_000_000) : 0);
    const exited = n("exited");
    const errored = n("errored") + n("unhandled");
    const crashed = n("crashed");
    const abnormal = n("abnormal");
    const total = exited + errored + crashed + abnormal;
    if (total === 0) continue;
    const hour = hourOf(timestamp(r.started), now);
    const c = byHour.get(hour.getTime()) ?? { release, environment, hour, started: 0, errored: 0, crashed: 0, abnormal: 0 };
    c.started += total;
    c.errored += errored + crashed + abnormal;
    c.crashed += crashed;
    c.abnormal += abnormal;
    byHour.set(hour.getTime(), c);
  }
  return [...byHour.values()];
}

function hourOf(at: Date | null, now: Date): Date {
  const t = at && at.getTime() <= now.getTime() + 3600_000 && now.getTime() - at.getTime() <= MAX_AGE_MS ? at : now;
  return new Date(Math.floor(t.getTime() / 3600_000) * 3600_000);
}
