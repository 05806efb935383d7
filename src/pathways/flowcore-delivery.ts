import { isConnectionError, type Database } from "../db/client.ts";
import { AppError, UnavailableError } from "../errors.ts";
import type { Metrics } from "../metrics/registry.ts";
import { createRouter, type Pathways } from "./pathways.ts";
import { invalidPayload } from "./projector.ts";
import { contractFor } from "./registry.ts";

/** An event as Flowcore delivers it to a transformer (the envelope; the payload is the contract's). */
export interface DeliveredEvent {
  eventId: string;
  flowType?: string;
  /** Legacy name of flowType. */
  aggregator?: string;
  eventType: string;
  payload: Record<string, unknown>;
}

/**
 * One Flowcore delivery, through the pathways router: the router finds the pathway, the builder
 * validates the payload against the contract and the registered handler projects it. Failures
 * become the answers Flowcore acts on: 422 for an event no handler accepts (no point retrying),
 * 503 while the database is down (Flowcore redelivers later).
 */
export function createFlowcoreDelivery(o: { pathways: Pathways; secret: string; database: Database; ensureSchema: () => Promise<void>; metrics: Metrics }) {
  const router = createRouter(o.pathways, o.secret);
  return async function deliver(event: DeliveredEvent): Promise<void> {
    const flowType = event.flowType ?? event.aggregator;
    const contract = flowType ? contractFor(flowType, event.eventType) : undefined;
    if (!contract) throw new AppError(422, "unknown_event_type", `no handler for event type "${flowType ?? "?"}/${event.eventType}"`);
    // Reach the database before the router, so an outage is a clean 503 rather than an error
    // wrapped in the router's message.
    await o.ensureSchema().catch((err) => {
      throw isConnectionError(err) ? new UnavailableError("the database") : err;
    });
    try {
      // The route has checked X-Secret in constant time; the router wants it again.
      await router.processEvent({ ...event, flowType } as never, o.secret);
    } catch (err) {
      // Only on failure: say which field broke the contract (the builder's message is generic).
      const invalid = invalidPayload(contract, event.payload);
      if (invalid) throw invalid;
      const alive = await o.database.sql`select 1`.then(
        () => true,
        () => false,
      );
      if (!alive) throw new UnavailableError("the database");
      throw err;
    }
    o.metrics.projected.inc({ type: contract.label });
  };
}
