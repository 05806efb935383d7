import { inTransaction, isConnectionError, type Sql } from "../db/client.ts";
import { LOCKS } from "../db/locks.ts";
import type { ComponentHealth } from "../health.ts";
import type { Logger } from "../log.ts";
import type { FlowcoreMetrics, Metrics } from "../metrics/registry.ts";
import type { Contract } from "../pathways/contract.ts";
import { CONTRACTS } from "../pathways/registry.ts";
import type { Pathways } from "../pathways/pathways.ts";
import { EmitError, emitBatch } from "./flowcore-emit.ts";
import { createWakeLoop } from "./wake-loop.ts";

export interface ForwarderOptions {
  sql: Sql;
  /** false while no table exists yet: the loop then waits without creating any. */
  schemaReady: () => Promise<boolean>;
  pathways: Pathways;
  metrics: Metrics;
  /** `metrics.flowcore`: the forwarder only runs in Flowcore mode, where they exist. */
  flowcoreMetrics: FlowcoreMetrics;
  log: Logger;
  /** Forwarded rows older than this many hours are deleted; unsent rows are never deleted. */
  retentionHours: number;
  batchSize?: number;
  /** Cut off one HTTP call after this long (the pathways writer has no timeout of its own). */
  emitTimeoutMs?: number;
  /** Backoff between failed rounds: doubles from retryMinMs up to retryMaxMs. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** How often to look for rows appended by other processes when nothing woke us. */
  pollMs?: number;
  pruneEveryMs?: number;
}

const PRUNE_CHUNK = 5000;

/**
 * The Flowcore outbox: ships the durable event log to Flowcore with pathways batch writes and
 * marks rows `forwarded_at` only once Flowcore acknowledged them. A crash between the two re-sends
 * the batch, which is harmless: every payload carries its ingest id and projections upsert on it.
 * An outage of any length loses nothing: rows wait in the log, the loop backs off (capped) and
 * drains the backlog when Flowcore answers again. Forwarded rows are pruned after the retention.
 */
export function createForwarder(o: ForwarderOptions) {
  const batchSize = o.batchSize ?? 500;
  const timeoutMs = o.emitTimeoutMs ?? 15_000;
  const retryMinMs = o.retryMinMs ?? 250;
  const retryMaxMs = o.retryMaxMs ?? 30_000;
  const pollMs = o.pollMs ?? 1000;
  const pruneEveryMs = o.pruneEveryMs ?? 60_000;
  const { metrics, log } = o;
  const fm = o.flowcoreMetrics;
  const stopper = new AbortController();
  let lastPrune = 0;
  let backlog = 0;
  let failingSince: Date | null = null;
  let lastError: EmitError | null = null;
  // Rows whose payload no longer matches its contract: kept in the log (never pruned), not sent.
  const invalid = new Set<string>();

  /** Ships the next batch of one event type; returns how many rows it read. */
  function forwardGroup(c: Contract): Promise<number> {
    return inTransaction(o.sql, async (tx) => {
      // One shipper per event type across every instance on this database, held until commit, so
      // two forwarders never send the same rows and each type still goes out in seq order.
      const [lock] = await tx<{ ok: boolean }[]>`select pg_try_advisory_xact_lock(${LOCKS.forward}, hashtext(${`${c.flowType}/${c.eventType}`})) as ok`;
      if (!lock?.ok) return 0;
      const skip = [...invalid];
      const rows = await tx<{ seq: string; payload: Record<string, unknown> }[]>`
        select seq::text as seq, payload from event_log
        where forwarded_at is null and flow_type = ${c.flowType} and event_type = ${c.eventType}
        ${skip.length ? tx`and seq <> all(${skip}::bigint[])` : tx``}
        order by event_log.seq limit ${batchSize}`;
      const valid = rows.filter((r) => {
        if (c.schema.safeParse(r.payload).success) return true;
        invalid.add(r.seq);
        fm.emitFailures.inc({ cause: "invalid_event" });
        log.error("not forwarding an event that no longer matches its contract; it stays in the event log", { seq: r.seq, eventType: c.eventType });
        return false;
      });
      if (valid.length === 0) return rows.length;
      const t0 = performance.now();
      try {
        await emitBatch(
          o.pathways,
          c.flowType,
          c.eventType,
          valid.map((r) => r.payload),
          { timeoutMs, signal: stopper.signal },
        );
      } finally {
        fm.emitSeconds.observe((performance.now() - t0) / 1000);
      }
      await tx`update event_log set forwarded_at = now() where seq = any(${valid.map((r) => r.seq)}::bigint[])`;
      fm.emitted.inc({ type: c.label }, valid.length);
      fm.lastEmit.set(Date.now() / 1000);
      return rows.length;
    });
  }

  async function prune() {
    if (Date.now() - lastPrune < pruneEveryMs) return;
    lastPrune = Date.now();
    // In chunks, so a large backlog of old rows never holds long locks.
    for (;;) {
      const r = await o.sql`
        delete from event_log where seq in (
          select seq from event_log
          where forwarded_at is not null and forwarded_at < now() - make_interval(hours => ${o.retentionHours})
          limit ${PRUNE_CHUNK})`;
      if (r.count < PRUNE_CHUNK) break;
    }
  }

  async function countBacklog(): Promise<number> {
    const [r] = await o.sql<{ n: number }[]>`select count(*)::int as n from event_log where forwarded_at is null`;
    backlog = r?.n ?? 0;
    fm.backlog.set(backlog);
    metrics.logBacklog.set(backlog);
    return backlog;
  }

  /** One pass over the event types; returns whether a full batch was read and the first emit failure. */
  async function round(): Promise<{ more: boolean; error: EmitError | null }> {
    if (!(await o.schemaReady())) return { more: false, error: null };
    let more = false;
    let error: EmitError | null = null;
    for (const c of CONTRACTS) {
      try {
        if ((await forwardGroup(c)) >= batchSize) more = true;
      } catch (err) {
        if (!(err instanceof EmitError)) throw err;
        if (err.reason === "stopped") return { more: false, error: null };
        fm.emitFailures.inc({ cause: err.reason });
        error ??= err;
        // Unreachable or overloaded applies to every type: wait for the backoff instead of
        // knocking again at once. A rejection (4xx) may be specific to this type: go on.
        if (err.reason !== "rejected" && err.reason !== "http_error") break;
      }
    }
    await prune();
    await countBacklog();
    return { more, error };
  }

  function recordOutcome(error: EmitError | null) {
    if (error) {
      failingSince ??= new Date();
      lastError = error;
      const hint = error.reason === "rejected" ? "check FLOWCORE_WEBHOOK_API_KEY, FLOWCORE_TENANT, FLOWCORE_DATA_CORE and `bun flowcore:apply`" : undefined;
      log.throttled("forwarder-emit", 10_000, "warn", "cannot deliver to Flowcore; events wait in the local event log", {
        cause: error.reason,
        message: error.message,
        backlog,
        hint,
      });
    } else if (lastError) {
      log.info("Flowcore is reachable again; delivering the backlog", { outageSeconds: Math.round((Date.now() - failingSince!.getTime()) / 1000), backlog });
      failingSince = null;
      lastError = null;
    }
  }

  const loop = createWakeLoop({
    pollMs,
    settleMs: 0,
    // New rows are not a reason to knock again during an outage: wait for the backoff.
    wakeWhileFailing: false,
    backoffMs: (failures) => {
      const step = Math.min(retryMinMs * 2 ** Math.max(0, failures - 1), retryMaxMs);
      // Jitter spreads the retries of many instances after a shared outage.
      return step / 2 + (Math.random() * step) / 2;
    },
    async round() {
      const r = await round();
      if (!loop.running) return "done";
      recordOutcome(r.error);
      return r.error ? "failed" : r.more ? "more" : "done";
    },
    onError(err) {
      log.throttled("forwarder-db", 10_000, "error", "event forwarding failed; will retry", { error: err as Error, databaseDown: isConnectionError(err) });
    },
  });

  return {
    round,
    /** New rows were appended. Ignored while backing off, so an outage is not hammered per event. */
    nudge: loop.nudge,
    start() {
      if (!stopper.signal.aborted) loop.start();
    },
    /** Stops promptly: an HTTP call in flight is abandoned and its rows stay unsent (rolled back). */
    async stop() {
      stopper.abort();
      await loop.stop();
    },
    /** Degraded (never down) while Flowcore cannot be reached: ingest still works. */
    health(): ComponentHealth {
      if (!lastError) return { status: "up" };
      return {
        status: "degraded",
        detail: `cannot deliver to Flowcore since ${failingSince!.toISOString()} (${lastError.reason}: ${lastError.message.slice(0, 160)}); ${backlog} events wait in the local event log`,
      };
    },
  };
}
export type Forwarder = ReturnType<typeof createForwarder>;
