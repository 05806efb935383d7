import type { PreparedBatch, Projector, StoredEvent } from "../src/pathways/projector.ts";
import { DELIVERY_BATCH_SIZE } from "../src/eventlog/delivery.ts";

/**
 * Seeds a benchmark's events through the projection path as the delivery loop runs it: batches of
 * DELIVERY_BATCH_SIZE, one transaction each, the next batch prepared (projector.prepare) while
 * PostgreSQL inserts the current one. (The delivery loop prepares the batch it reads ahead; here
 * the events are already in memory.)
 */
export async function seedBatches(projector: Projector, events: StoredEvent[]): Promise<void> {
  const slices: StoredEvent[][] = [];
  for (let i = 0; i < events.length; i += DELIVERY_BATCH_SIZE) slices.push(events.slice(i, i + DELIVERY_BATCH_SIZE));
  let next: PreparedBatch | null = slices.length > 0 ? projector.prepare(slices[0]!) : null;
  for (let i = 0; i < slices.length; i++) {
    const current = next!;
    next = null;
    const later = slices[i + 1];
    if (later) current.duringInserts = () => (next = projector.prepare(later));
    await projector.project(current);
    if (later && !next) next = projector.prepare(later);
  }
}
