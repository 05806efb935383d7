import type { z } from "zod";
import type { Tx } from "../db/client.ts";

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
}

/** Declares a contract; the generic ties the handler's argument type to the schema. */
export function defineContract<S extends z.AnyZodObject>(c: Contract<S>): Contract<S> {
  return c;
}

/** `flowType/eventType`, the key the pathways router and the registry use. */
export const contractKey = (c: { flowType: string; eventType: string }) => `${c.flowType}/${c.eventType}`;
