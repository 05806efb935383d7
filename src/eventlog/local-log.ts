import type { Sql } from "../db/client.ts";
import { isConnectionError } from "../db/client.ts";
import { LOCKS } from "../db/locks.ts";
import { AppError, UnavailableError } from "../errors.ts";
import type { Metrics } from "../metrics/registry.ts";
import { admits, unitsForBatch } from "./append-units.ts";
import { createDbClock } from "./db-clock.ts";

export interface LogEntry {
  ingestId: string;
  flowType: string;
  eventType: string;
  payload: Record<string, unknown>;
}

/** One append unit: its entries are committed together, in one statement, or not at all. */
interface Waiter {
  entries: LogEntry[];
  /** Epoch ms after which the database must not commit this entry any more. */
  deadline: number;
  /** true once the client has its answer (committed, failed, or timed out). */
  settled: boolean;
  timer: ReturnType<typeof setTimeout>;
  /** The request's signal: aborted when its client has closed the connection. */
  signal?: AbortSignal;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The client's timer fires this long after the deadline the database enforces, so an entry the
 * database commits just before its deadline is still answered 202 (and covers a small clock skew
 * between the app and an external database).
 */
const ANSWER_GRACE_MS = 500;
/** How many commit timeouts a stuck statement is waited for before the log moves on without it. */
const ABANDON_AFTER_TIMEOUTS = 4;

/** Nobody is left to tell: the entry is not written, so "no answer" also means "not stored". */
function clientGone() {
  return new AppError(499, "client_closed", "the client closed the connection before the event was stored");
}

function notDurable(timeoutMs: number) {
  return new AppError(503, "unavailable", `the event store did not commit within ${timeoutMs} ms; the event was not stored, retry later`, { "retry-after": "2" });
}

/**
 * The durable event log with group commit. `append` resolves only once the entry's transaction
 * has committed (Postgres fsyncs the WAL on commit), so a 202 always means durable. While one
 * commit is in flight, new appends queue up and go together in the next one: under load a
 * single transaction carries many requests' events.
 *
 * Appends take a transaction-scoped advisory lock so commits happen in `seq` order even with
 * several instances writing one database; readers can then follow `seq` without gaps.
 *
 * Every entry has a commit deadline (`commitTimeoutMs` after `append`), so a frozen or
 * unreachable database cannot hang requests. The deadline is enforced twice: the database
 * inserts nothing once its clock has passed the batch's deadline, and a timer answers the client
 * 503 shortly after it. So a 503 means "not stored, retry": a statement that reaches a resumed
 * database too late inserts nothing. (The one residual case, a database frozen in the very middle
 * of its commit flush past the grace period, is counted in
 * `analytics_eventlog_late_commits_total` and logged, never silent.)
 */
export function createEventLog(
  sql: Sql,
  ensureSchema: () => Promise<void>,
  metrics: Metrics,
  opts: {
    maxBatch?: number;
    maxQueue?: number;
    commitTimeoutMs?: number;
    onLateCommit?: (events: number) => void;
    onAbandon?: () => void;
    /** Our clock (tests pass a skewed one); deadlines are converted to the database's clock. */
    now?: () => number;
  } = {},
) {
  const now = opts.now ?? Date.now;
  const maxBatch = opts.maxBatch ?? 1000;
  const maxQueue = opts.maxQueue ?? 20_000;
  const timeoutMs = opts.commitTimeoutMs ?? 5000;
  let queue: Waiter[] = [];
  /** Entries in `queue` (a unit of `appendAll` holds several). */
  let queued = 0;
  let flushing: Promise<void> | null = null;
  /** When the commit now in flight started (null when none is). */
  let inFlightSince: number | null = null;
  const listeners = new Set<() => void>();
  const dbClock = createDbClock(sql, { now });

  /** Returns how many rows the database inserted: all of the batch, or none (deadline passed). */
  async function commit(batch: Waiter[], deadline: number): Promise<number> {
    const started = performance.now();
    const entries = sql.json(batch.flatMap((w) => w.entries) as never);
    await ensureSchema();
    // One statement, one round trip: it runs in its own transaction, takes the lock before any
    // row draws its seq (the rows come out of the join with `lock`), and Postgres answers only
    // after the commit. The batch travels as one JSON parameter, so the statement text (and its
    // prepared plan) is the same whatever the batch size. `lock.at` is read once the lock is
    // held: past the deadline the statement inserts nothing, since its clients have been told 503.
    const result = await sql`
      with lock as materialized (select pg_advisory_xact_lock(${LOCKS.append}), clock_timestamp() as at)
      insert into event_log (ingest_id, flow_type, event_type, payload)
      select (e->>'ingestId')::uuid, e->>'flowType', e->>'eventType', e->'payload'
      from lock, jsonb_array_elements(${entries}) with ordinality as x(e, i)
      where lock.at < to_timestamp(${(deadline + dbClock.offsetMs) / 1000})
      order by i`;
    metrics.logAppendBatch.observe(countEntries(batch));
    metrics.logAppendSeconds.observe((performance.now() - started) / 1000);
    return result.count;
  }

  function settle(w: Waiter, err?: unknown) {
    if (w.settled) return;
    w.settled = true;
    clearTimeout(w.timer);
    if (err === undefined) w.resolve();
    else w.reject(err);
  }

  /** The commit's result has arrived: answer the batch's clients with the truth. */
  function finish(batch: Waiter[], inserted: number) {
    if (inserted === 0) {
      // Past the deadline: the database stored nothing. Clients not answered yet get their 503 now.
      const unanswered = batch.filter((w) => !w.settled);
      metrics.logCommitTimeouts.inc(countEntries(unanswered));
      for (const w of unanswered) settle(w, notDurable(timeoutMs));
      return;
    }
    const late = countEntries(batch.filter((w) => w.settled));
    if (late > 0) {
      metrics.logLateCommits.inc(late);
      opts.onLateCommit?.(late);
    }
    for (const w of batch) settle(w);
    for (const l of listeners) l();
  }

  async function flushLoop() {
    for (;;) {
      // Entries whose client already got a 503, or has hung up, are not written.
      for (const w of queue) if (w.signal?.aborted) settle(w, clientGone());
      queue = queue.filter((w) => !w.settled);
      if (queue.length === 0) {
        queued = 0;
        break;
      }
      const take = unitsForBatch(queue, maxBatch);
      const batch = queue.slice(0, take);
      queue = queue.slice(take);
      queued = countEntries(queue);
      const deadline = Math.min(...batch.map((w) => w.deadline));
      inFlightSince = Date.now();
      // The first commit waits for the first clock sample (one round trip per process); later
      // samples run beside the commits.
      if (dbClock.sampled) void dbClock.refresh();
      else await dbClock.refresh();
      const pending = commit(batch, deadline).then(
        (inserted) => finish(batch, inserted),
        (err) => {
          const mapped = isConnectionError(err) ? new UnavailableError("the event store") : err;
          for (const w of batch) settle(w, mapped);
        },
      );
      // A statement stuck far past its deadline (a connection that died without a word, say to
      // an external database across a network failure) is left behind, so the next batch can try
      // a fresh connection instead of ingest answering 503 until the OS gives up on the old one.
      // Its clients have all been answered 503, and if it ever completes it inserts nothing (or
      // is counted as a late commit by finish()).
      let abandonTimer: ReturnType<typeof setTimeout> | undefined;
      const abandoned = new Promise<boolean>((done) => (abandonTimer = setTimeout(() => done(true), ABANDON_AFTER_TIMEOUTS * timeoutMs)));
      const gaveUp = await Promise.race([pending.then(() => false), abandoned]);
      clearTimeout(abandonTimer);
      inFlightSince = null;
      if (gaveUp) {
        opts.onAbandon?.();
        const unanswered = batch.filter((w) => !w.settled);
        metrics.logCommitTimeouts.inc(countEntries(unanswered));
        for (const w of unanswered) settle(w, notDurable(timeoutMs));
      }
    }
    flushing = null;
  }

  /**
   * Resolves once the entries are durable. Rejects with a 503 error when the store is down, or did
   * not commit within the deadline (then none is stored). `signal` is the request's: a unit whose
   * client hung up before its commit began is not written (a client that gets no answer
   * retries, and must not leave a copy behind).
   */
  function appendAll(entries: LogEntry[], signal?: AbortSignal): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(clientGone());
    // The unit fits or is refused whole (nothing of it stored).
    if (!admits(queued, entries.length, maxQueue)) {
      return Promise.reject(new AppError(503, "overloaded", "the event store is falling behind; retry later", { "retry-after": "1" }));
    }
    // A commit stuck past the deadline means the database is frozen or unreachable: answer at
    // once instead of letting requests (and their sockets) pile up behind it.
    if (inFlightSince !== null && Date.now() - inFlightSince > timeoutMs) {
      metrics.logCommitTimeouts.inc(entries.length);
      return Promise.reject(notDurable(timeoutMs));
    }
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { entries, deadline: now() + timeoutMs, settled: false, timer: undefined as never, signal, resolve, reject };
      w.timer = setTimeout(() => {
        metrics.logCommitTimeouts.inc(entries.length);
        settle(w, notDurable(timeoutMs));
      }, timeoutMs + ANSWER_GRACE_MS);
      queue.push(w);
      queued += entries.length;
      flushing ??= Promise.resolve().then(flushLoop);
    });
  }

  return {
    /**
     * Resolves once the entry is durable. Rejects with a 503 error when the store is down, or did
     * not commit within the deadline (then the entry is not stored). `signal` is the request's:
     * an entry whose client hung up before its commit began is not written (a client that
     * gets no answer retries, and must not leave a copy behind).
     */
    append(entry: LogEntry, signal?: AbortSignal): Promise<void> {
      return appendAll([entry], signal);
    },
    /**
     * Appends several entries as one unit (the events of one request, e.g. a Sentry envelope):
     * they go in the same commit statement, so all of them are durable or none is. Refused as a
     * whole (503) when the queue has no room for all of them; resolves like `append`.
     */
    appendAll,
    /** Called after each successful commit (the delivery loop uses it to wake up). */
    onAppend(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** The database clock's offset from ours, in ms (deadlines are checked on the database's clock). */
    get dbClockOffsetMs() {
      return dbClock.offsetMs;
    },
    /** Waits until everything queued so far is committed (or failed). */
    async drain() {
      while (flushing) await flushing;
    },
    /** Entries waiting for a commit. */
    get pending() {
      return queued;
    },
  };
}
export type EventLog = ReturnType<typeof createEventLog>;

const countEntries = (units: Waiter[]) => units.reduce((n, w) => n + w.entries.length, 0);
