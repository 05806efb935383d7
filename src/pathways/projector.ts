import { inTransaction, type Sql, type Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { Contract } from "./contract.ts";
import { compileCheck, type Check } from "./fast-check.ts";
import { recleanReferrer } from "./handlers/reclean-referrer.ts";
import { insertStatement } from "./handlers/insert-records.ts";
import { insertWithVisits, type RawRows } from "./handlers/refresh-visits.ts";
import { CONTRACTS, contractFor } from "./registry.ts";

/** An event as the event store holds it: type plus payload. */
export interface StoredEvent {
  flowType: string;
  eventType: string;
  payload: unknown;
}

/** A batch after `prepare`: what projecting it needs, bar the database. */
export interface PreparedBatch {
  groups: Map<Contract, Record<string, unknown>[]>;
  rejected: ProjectionResult["rejected"];
  /** The visit-making contracts present, and their raw rows in the same order. */
  visitMaking: Contract[];
  raw: RawRows[];
  /**
   * Work to run while PostgreSQL inserts this batch's raw rows, when the process would otherwise
   * wait (preparing the next batch: bench/seed-batches.ts). Called once, if the batch has any.
   */
  duringInserts?: () => void;
}

export interface ProjectionResult {
  /** Rows written per contract label (0 for a replayed event); every label is present. */
  written: Record<string, number>;
  /** Events no handler accepts (unknown type, payload failing its contract). */
  rejected: { event: StoredEvent; error: AppError }[];
}

/** `{ pageview: 0, custom_event: 0, … }`: one counter per contract label. */
export const emptyWritten = (): Record<string, number> => Object.fromEntries(CONTRACTS.map((c) => [c.label, 0]));

/** The 422 a payload that fails its contract gets, naming the first offending field. */
export function invalidPayload(contract: Contract, payload: unknown): AppError | null {
  const r = contract.schema.safeParse(payload);
  if (r.success) return null;
  const issue = r.error.issues[0];
  return new AppError(422, "invalid_payload", `payload does not match ${contract.eventType}: ${issue?.path.join(".")} ${issue?.message}`);
}

/**
 * The projection registry at work, batch-first: every event is validated once against its
 * contract, grouped by contract, and each group handed to its handler, in registry order, inside
 * one transaction. The embedded delivery loop and the CLI replays hand it thousands of events at
 * a time; Flowcore deliveries arrive one by one through the pathways router, whose handlers call
 * `projectValidated` (the builder has validated the payload already). Handlers are idempotent
 * on the ingest id, so every path writes the same rows once.
 */
export function createProjector(sql: Sql, ensureSchema: () => Promise<void>) {
  // Each contract's fast check, derived once from its schema (null: zod decides every payload).
  const checks = new Map<Contract, Check | null>(CONTRACTS.map((c) => [c, compileCheck(c.schema)]));

  /**
   * The work on a batch that needs no database: validation, grouping by contract, and the raw
   * rows of the visit-making contracts with their insert statements built. The delivery loop
   * prepares the next batch while PostgreSQL works on the current one.
   */
  function prepare(events: StoredEvent[]): PreparedBatch {
    const groups = new Map<Contract, Record<string, unknown>[]>();
    const rejected: ProjectionResult["rejected"] = [];
    for (const e of events) {
      const c = contractFor(e.flowType, e.eventType);
      if (!c) {
        rejected.push({ event: e, error: new AppError(422, "unknown_event_type", `no handler for event type "${e.flowType}/${e.eventType}"`) });
        continue;
      }
      let valid: Record<string, unknown>;
      if (checks.get(c)?.(e.payload)) valid = e.payload as Record<string, unknown>;
      else {
        const r = c.schema.safeParse(e.payload);
        if (!r.success) {
          rejected.push({ event: e, error: invalidPayload(c, e.payload)! });
          continue;
        }
        valid = r.data;
      }
      const payload = recleanReferrer(valid);
      const list = groups.get(c);
      if (list) list.push(payload);
      else groups.set(c, [payload]);
    }
    // The visit-making contracts (first in the registry) go in one step: one visits refresh per batch.
    const visitMaking = CONTRACTS.filter((c) => c.visits && groups.get(c)?.length);
    const raw = visitMaking.map((c) => {
      const rows = groups.get(c)!.map((e) => c.visits!.row(e));
      return { kind: c.visits!.kind, table: c.visits!.table, rows, statement: insertStatement(c.visits!.table, rows) };
    });
    return { groups, rejected, visitMaking, raw };
  }

  async function run(tx: Tx, batch: PreparedBatch): Promise<Record<string, number>> {
    const written = emptyWritten();
    if (batch.raw.length > 0) {
      const counts = await insertWithVisits(tx, batch.raw, batch.duringInserts);
      batch.visitMaking.forEach((c, i) => {
        written[c.label] = (written[c.label] ?? 0) + counts[i]!;
      });
    }
    for (const c of CONTRACTS) {
      if (c.visits) continue;
      const list = batch.groups.get(c);
      if (list?.length) written[c.label] = (written[c.label] ?? 0) + (await c.project(tx, list));
    }
    return written;
  }

  /** Projects a batch (or a prepared one) inside `tx`, a transaction the caller owns. */
  async function projectIn(tx: Tx, events: StoredEvent[] | PreparedBatch): Promise<ProjectionResult> {
    const batch = Array.isArray(events) ? prepare(events) : events;
    return { written: await run(tx, batch), rejected: batch.rejected };
  }

  return {
    prepare,
    projectIn,
    /** Projects a batch in its own transaction; throws the first rejection, writing nothing. */
    async project(events: StoredEvent[] | PreparedBatch): Promise<ProjectionResult> {
      await ensureSchema();
      return inTransaction(sql, async (tx) => {
        const result = await projectIn(tx, events);
        if (result.rejected[0]) throw result.rejected[0].error;
        return result;
      });
    },
    /** Projects payloads already validated against `contract` (by the pathways builder). */
    async projectValidated(contract: Contract, payloads: Record<string, unknown>[]): Promise<Record<string, number>> {
      await ensureSchema();
      const list = payloads.map(recleanReferrer);
      return inTransaction(sql, async (tx) => {
        const written = emptyWritten();
        written[contract.label] = await contract.project(tx, list);
        return written;
      });
    },
  };
}
export type Projector = ReturnType<typeof createProjector>;
