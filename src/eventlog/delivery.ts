import { inTransaction, isConnectionError, type Sql, type Tx } from "../db/client.ts";
import type { Logger } from "../log.ts";
import type { PreparedBatch, Projector, StoredEvent } from "../pathways/projector.ts";
import { createWakeLoop } from "./wake-loop.ts";

/** The metrics the delivery loop keeps (the process's own, or forwarded from its thread). */
export interface DeliveryMetrics {
  projected: { inc(labels: { type: string }, value?: number): void };
  projectionErrors: { inc(labels: { cause: string }, value?: number): void };
  projectionLag: { set(value: number): void };
  logBacklog: { set(value: number): void };
}

/** What the server holds of a delivery loop, on its own thread (delivery-thread.ts) or this one. */
export interface Delivery {
  /** One step now; how many events it projected. */
  step(): Promise<number>;
  /** Events in the log not yet projected. */
  backlog(): Promise<number>;
  /** Wake the loop now (new events were appended). */
  nudge(): void;
  start(): void;
  /** Stops after the step in progress has committed. */
  stop(): Promise<void>;
}

export interface DeliveryOptions {
  sql: Sql;
  /** false while no table exists yet: the loop then waits without creating any. */
  schemaReady: () => Promise<boolean>;
  projector: Projector;
  metrics: DeliveryMetrics;
  log: Logger;
  /** Cursor name in projection_cursor. */
  name?: string;
  batchSize?: number;
  /** How often to look for events written by other processes when nothing woke us. */
  pollMs?: number;
  /**
   * When events keep arriving, wait this long between steps so each step carries a batch rather
   * than a handful (a step costs a handful of round trips whatever its size).
   */
  settleMs?: number;
}

/**
 * Events per delivery step when a backlog has built up (catch-up, a replay, a burst). A step's cost
 * is dominated by the visitors it touches (their visits are recomputed once per step however many
 * of their events it carries), so bigger steps are much cheaper per event: 10,000 projected about
 * 1.7× faster than 2,000 in bench/projection.ts. Under steady load steps stay small (settleMs).
 */
export const DELIVERY_BATCH_SIZE = 10_000;

interface Row extends StoredEvent {
  seq: number;
  /** ISO timestamp. */
  createdAt: string;
}

/**
 * Feeds the local event log to the projection handlers. Each step reads the next batch after the
 * cursor, projects it and advances the cursor in the same transaction, so a crash or restart at
 * any moment resumes exactly where the last committed step ended: nothing skipped, nothing doubled.
 * The cursor row is locked for the step, so two processes following the same cursor take turns.
 */
export function createDelivery(o: DeliveryOptions): Delivery {
  const name = o.name ?? "embedded";
  const batchSize = o.batchSize ?? DELIVERY_BATCH_SIZE;
  const pollMs = o.pollMs ?? 500;
  const settleMs = o.settleMs ?? 50;
  let backlogAt = 0;
  // While a full batch is being projected, the next one is read on another connection and
  // prepared (validated, its rows and inserts built: projector.prepare), so that this work
  // overlaps with PostgreSQL's on the current batch. A step uses it only if the cursor, once
  // locked, is exactly where it was read from.
  let prefetched: { after: number; ahead: Promise<{ rows: Row[]; batch: PreparedBatch } | null> } | null = null;

  /** The events after `after`, as one JSON document: parsed once, far cheaper than row by row. */
  async function readBatch(q: Sql | Tx, after: number): Promise<Row[]> {
    const [r] = (await q`
      select coalesce(json_agg(json_build_object('seq', seq, 'flowType', flow_type, 'eventType', event_type, 'payload', payload, 'createdAt', created_at) order by seq), '[]') as batch
      from (select * from event_log where seq > ${after} order by seq limit ${batchSize}) e`) as unknown as [{ batch: Row[] }];
    return r.batch;
  }

  /** One step. Returns how many events it projected. */
  async function step(): Promise<number> {
    if (!(await o.schemaReady())) return 0;
    const result = await inTransaction(o.sql, async (tx) => {
      // The step's rows are derived from the event log and move with the cursor in this one
      // transaction, so the commit need not wait for its WAL flush: after a crash, a step lost
      // with its cursor is simply projected again. (Appends to the event log stay synchronous.)
      await tx`set local synchronous_commit = off`;
      const lockCursor = () => tx<{ position: number }[]>`select position::float8 as position from projection_cursor where name = ${name} for update`;
      let [cur] = await lockCursor();
      if (!cur) {
        await tx`insert into projection_cursor (name, position) values (${name}, 0) on conflict (name) do nothing`;
        [cur] = await lockCursor();
      }
      const next = prefetched;
      prefetched = null;
      const ahead = next?.after === cur!.position ? await next.ahead : null;
      const rows = ahead?.rows ?? (await readBatch(tx, cur!.position));
      if (rows.length === 0) return { count: 0, byType: {}, last: null as Row | null };
      const last = rows[rows.length - 1]!;
      if (rows.length >= batchSize)
        prefetched = {
          after: last.seq,
          ahead: readBatch(o.sql, last.seq)
            .then((later) => ({ rows: later, batch: o.projector.prepare(later) }))
            .catch(() => null),
        };
      // Events no handler accepts are skipped (counted, logged) rather than stalling delivery;
      // they stay in the event log for a backfill once the code handles them.
      const { written, rejected } = await o.projector.projectIn(tx, ahead?.batch ?? rows);
      for (const r of rejected) {
        o.metrics.projectionErrors.inc({ cause: "invalid_event" });
        o.log.throttled("delivery-invalid", 10_000, "error", "skipping an event no handler accepts", { seq: (r.event as Row).seq, code: r.error.code, message: r.error.message });
      }
      await tx`update projection_cursor set position = ${last.seq}, updated_at = now() where name = ${name}`;
      return { count: rows.length, byType: written, last };
    });
    if (result.last) {
      for (const [type, n] of Object.entries(result.byType)) if (n) o.metrics.projected.inc({ type }, n);
      o.metrics.projectionLag.set(Math.max(0, (Date.now() - Date.parse(result.last.createdAt)) / 1000));
    }
    return result.count;
  }

  async function backlog(): Promise<number> {
    if (!(await o.schemaReady())) return 0;
    const [r] = await o.sql<{ n: number }[]>`
      select coalesce((select max(seq) from event_log), 0)::float8
           - coalesce((select position from projection_cursor where name = ${name}), 0)::float8 as n`;
    return Math.max(0, r?.n ?? 0);
  }

  const loop = createWakeLoop({
    pollMs,
    settleMs,
    wakeWhileFailing: true,
    backoffMs: (failures) => Math.min(100 * 2 ** failures, 5000),
    async round() {
      const n = await step();
      if (n >= batchSize) return "more";
      if (n === 0) o.metrics.logBacklog.set(0);
      else if (Date.now() - backlogAt >= 1000) {
        backlogAt = Date.now(); // at most once a second while events flow: it is another query
        o.metrics.logBacklog.set(await backlog());
      }
      return "done";
    },
    onError(err, failures) {
      o.metrics.projectionErrors.inc({ cause: isConnectionError(err) ? "database_unavailable" : "handler_error" });
      o.log.throttled("delivery-error", 10_000, "error", "event delivery failed; will retry", { error: err as Error, failures });
    },
  });

  return {
    step,
    backlog,
    /** Wake the loop now (new events were appended). */
    nudge: loop.nudge,
    start: loop.start,
    /** Stops after the step in progress has committed. */
    stop: loop.stop,
  };
}
