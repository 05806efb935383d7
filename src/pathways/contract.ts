import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import type { RawRows } from "./handlers/refresh-visits.ts";

/**
 * One event contract, declared once: its Flowcore coordinates, its payload schema, the handler
 * that projects a batch of it, the tables that handler writes and the label it carries in
 * metrics. Everything else (the projector's dispatch, pathways registration, the transformer's
 * lookup, the flowcore.yaml check, the CLI's summaries) is derived from the registry of these.
 */
export interface Contract<S extends z.AnyZodObject = z.AnyZodObject> {
  flowType: string;
  eventType: string;
  /** As in flowcore.yaml. */
  description: string;
  schema: S;
  /** The `type` label in every metric that counts this event (one vocabulary). */
  label: string;
  /** What one projected event is called in CLI summaries: [singular, plural]. */
  noun: readonly [string, string];
  /** The tables `project` writes: a rebuild empties them. */
  tables: readonly string[];
  /**
   * Projects a batch of validated payloads inside `tx` and returns the rows written. Must be
   * idempotent: redelivery, replay and backfill may hand it events it has already projected.
   */
  project(tx: Tx, events: z.infer<S>[]): Promise<number>;
  /**
   * For the contracts whose events make visits (page views, custom events): the raw row an event
   * becomes. The projector inserts every such contract's rows of a batch, and refreshes their
   * visitors' visits, in one step (refresh-visits.ts) rather than one per contract; `project`
   * does the same for one contract alone.
   */
  visits?: VisitRows<z.infer<S>>;
}

/** How a visit-making event becomes its raw row (see Contract.visits). */
export interface VisitRows<E> {
  kind: RawRows["kind"];
  table: RawRows["table"];
  row(e: E): Record<string, unknown>;
}

/** Declares a contract; the generic ties the handler's argument type to the schema. */
export function defineContract<S extends z.AnyZodObject>(c: Contract<S>): Contract<S> {
  return c;
}

/** `flowType/eventType`, the key the pathways router and the registry use. */
export const contractKey = (c: { flowType: string; eventType: string }) => `${c.flowType}/${c.eventType}`;
