import { inTransaction, type Sql } from "../db/client.ts";
import { emptyWritten, type Projector, type ProjectionResult, type StoredEvent } from "../pathways/projector.ts";
import { PROJECTION_TABLES } from "../pathways/registry.ts";
import { DELIVERY_BATCH_SIZE } from "../eventlog/delivery.ts";

/**
 * Embedded-mode `backfill` and `stream`: read the local event log in seq order and project it with
 * the same handlers as the delivery loop, in batches, one transaction per batch. They keep their
 * own position and never touch the delivery loop's cursor, so they can run next to a live server;
 * whatever both project is written once (handlers upsert on the ingest id, and crash groups only
 * count crash rows that were actually inserted).
 */
export interface ReplayOptions {
  sql: Sql;
  projector: Projector;
  /** false when the log has no table yet (no event ever arrived). */
  schemaReady: () => Promise<boolean>;
  batchSize?: number;
}

export interface ReplayTotals {
  /** Events read from the log. */
  events: number;
  /** New rows per projection (0 for events already projected). */
  written: ProjectionResult["written"];
  /** Events no handler accepts (left in the log, not projected). */
  rejected: number;
}

/** The tables a rebuild empties: everything the handlers write (declared in the registry). */
export { PROJECTION_TABLES };

interface Row extends StoredEvent {
  seq: string;
}

const emptyTotals = (): ReplayTotals => ({ events: 0, written: emptyWritten(), rejected: 0 });

/** Empties every projection table in one transaction (one statement, so the crash FK is fine). */
export async function truncateProjections(sql: Sql, schemaReady: () => Promise<boolean>): Promise<boolean> {
  if (!(await schemaReady())) return false;
  await inTransaction(sql, (tx) => tx.unsafe(`truncate ${PROJECTION_TABLES.join(", ")}`));
  return true;
}

/** Projects the events with seq in (after, until]; returns the last seq read, or null if none. */
async function projectBatch(o: ReplayOptions, after: string, until: string | null, totals: ReplayTotals): Promise<string | null> {
  const batchSize = o.batchSize ?? DELIVERY_BATCH_SIZE;
  return inTransaction(o.sql, async (tx) => {
    // Derived rows, re-creatable by running the replay again: no need to wait for the WAL flush.
    await tx`set local synchronous_commit = off`;
    const rows = await tx<Row[]>`
      select seq::text as seq, flow_type as "flowType", event_type as "eventType", payload
      from event_log where seq > ${after} ${until === null ? tx`` : tx`and seq <= ${until}`}
      order by event_log.seq limit ${batchSize}`;
    if (rows.length === 0) return null;
    const r = await o.projector.projectIn(tx, rows);
    totals.events += rows.length;
    totals.rejected += r.rejected.length;
    for (const [label, n] of Object.entries(r.written)) totals.written[label] = (totals.written[label] ?? 0) + n;
    return rows[rows.length - 1]!.seq;
  });
}

/**
 * Replays every event from the first, through the same handlers. The end is fixed when the pass
 * starts (so it terminates); later events are the delivery loop's. `rebuild` empties the
 * projection tables first. N events in the log leave exactly N rows, however often it runs.
 */
export async function backfill(o: ReplayOptions & { rebuild?: boolean; onProgress?: (done: number, total: number) => void }): Promise<ReplayTotals> {
  const totals = emptyTotals();
  if (!(await o.schemaReady())) return totals;
  if (o.rebuild) await truncateProjections(o.sql, o.schemaReady);
  const [end] = await o.sql<{ last: string; total: number }[]>`select coalesce(max(seq), 0)::text as last, count(*)::int as total from event_log`;
  let after = "0";
  o.onProgress?.(0, end!.total);
  for (;;) {
    const last = await projectBatch(o, after, end!.last, totals);
    if (last === null) break;
    after = last;
    o.onProgress?.(totals.events, end!.total);
  }
  return totals;
}

/**
 * Follows the log from now (or from the first event when the log does not exist yet) until the
 * signal aborts, projecting each new batch. `onBatch` reports progress after every batch.
 */
export async function follow(o: ReplayOptions & { signal: AbortSignal; pollMs?: number; onStart?: () => void; onBatch?: (totals: ReplayTotals) => void }): Promise<ReplayTotals> {
  const totals = emptyTotals();
  const pollMs = o.pollMs ?? 250;
  // "Now" is fixed before onStart, so every event appended after it is followed. Without a log
  // yet, the first event will create it: follow from its very start.
  let after = "0";
  if (await o.schemaReady()) {
    const [r] = await o.sql<{ last: string }[]>`select coalesce(max(seq), 0)::text as last from event_log`;
    after = r!.last;
  }
  o.onStart?.();
  while (!o.signal.aborted) {
    const last = (await o.schemaReady()) ? await projectBatch(o, after, null, totals) : null;
    if (last === null) {
      await sleep(pollMs, o.signal);
      continue;
    }
    after = last;
    o.onBatch?.(totals);
  }
  return totals;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => (clearTimeout(t), signal.removeEventListener("abort", done), resolve());
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
