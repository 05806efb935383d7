import type { Contract } from "../pathways/contract.ts";
import type { LogEntry } from "./local-log.ts";

/**
 * The event store's envelope for a domain event: its contract's flow and event type (from the
 * registry) plus the payload. Every event carries an `ingestId`; it keys the log row, Flowcore
 * redeliveries and every projection row, so replays stay idempotent.
 */
export function toLogEntry(contract: Contract, payload: Record<string, unknown> & { ingestId: string }): LogEntry {
  return { ingestId: payload.ingestId, flowType: contract.flowType, eventType: contract.eventType, payload };
}
