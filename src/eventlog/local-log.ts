import type { Sql } from "../db/client.ts";
import { isConnectionError } from "../db/client.ts";
import { LOCKS } from "../db/locks.ts";
import { AppError, UnavailableError } from "../errors.ts";
import type { Metrics } from "../metrics/registry.ts";

export interface LogEntry {
  ingestId: string;
  flowType: string;
  eventType: string;
  payload: Record<string, unknown>;
}

interface Waiter {
  entry: LogEntry;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The durable event log with group commit. `append` resolves only once the entry's transaction
 * has committed (Postgres fsyncs the WAL on commit), so a 202 always means durable. While one
 * commit is in flight, new appends queue up and go together in the next one: under load a
 * single transaction carries many requests' events.
 *
 * Appends take a transaction-scoped advisory lock so commits happen in `seq` order even with
 * several instances writing one database; readers can then follow `seq` without gaps.
 */
export function createEventLog(sql: Sql, ensureSchema: () => Promise<void>, metrics: Metrics, opts: { maxBatch?: number; maxQueue?: number } = {}) {
  const maxBatch = opts.maxBatch ?? 1000;
  const maxQueue = opts.maxQueue ?? 20_000;
  let queue: Waiter[] = [];
  let flushing: Promise<void> | null = null;
  const listeners = new Set<() => void>();

  async function commit(batch: Waiter[]) {
    const started = performance.now();
    const entries = sql.json(batch.map((w) => w.entry) as never);
    await ensureSchema();
    // One statement, one round trip: it runs in its own transaction, takes the lock before any
    // row draws its seq (the rows come out of the join with `lock`), and Postgres answers only
    // after the commit. The batch travels as one JSON parameter, so the statement text (and its
    // prepared plan) is the same whatever the batch size.
    await sql`
      with lock as materialized (select pg_advisory_xact_lock(${LOCKS.append}))
      insert into event_log (ingest_id, flow_type, event_type, payload)
      select (e->>'ingestId')::uuid, e->>'flowType', e->>'eventType', e->'payload'
      from lock, jsonb_array_elements(${entries}) with ordinality as x(e, i)
      order by i`;
    metrics.logAppendBatch.observe(batch.length);
    metrics.logAppendSeconds.observe((performance.now() - started) / 1000);
  }

  async function flushLoop() {
    while (queue.length > 0) {
      const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
      queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
      try {
        await commit(batch);
        for (const w of batch) w.resolve();
        for (const l of listeners) l();
      } catch (err) {
        const mapped = isConnectionError(err) ? new UnavailableError("the event store") : err;
        for (const w of batch) w.reject(mapped);
      }
    }
    flushing = null;
  }

  return {
    /** Resolves once the entry is durable. Rejects with a 503 error when the store is down. */
    append(entry: LogEntry): Promise<void> {
      if (queue.length >= maxQueue) {
        return Promise.reject(new AppError(503, "overloaded", "the event store is falling behind; retry later", { "retry-after": "1" }));
      }
      return new Promise<void>((resolve, reject) => {
        queue.push({ entry, resolve, reject });
        flushing ??= Promise.resolve().then(flushLoop);
      });
    },
    /** Called after each successful commit (the delivery loop uses it to wake up). */
    onAppend(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Waits until everything queued so far is committed (or failed). */
    async drain() {
      while (flushing) await flushing;
    },
    get pending() {
      return queue.length;
    },
  };
}
export type EventLog = ReturnType<typeof createEventLog>;
