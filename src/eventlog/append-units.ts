/**
 * The rules of append units (a request's events, `appendAll`), kept pure so they are tested
 * without a database: a unit is admitted to the queue whole or not at all, and taken into a
 * commit whole, never split across two.
 */

/** Whether a unit of `size` entries may join a queue holding `queued`: an empty queue takes any unit (else one larger than the limit could never be stored). */
export function admits(queued: number, size: number, maxQueue: number): boolean {
  return queued === 0 || queued + size <= maxQueue;
}

/** How many units from the head of the queue go in the next commit: whole units up to `maxBatch` entries, at least one. */
export function unitsForBatch(queue: readonly { entries: readonly unknown[] }[], maxBatch: number): number {
  let take = 0;
  let size = 0;
  while (take < queue.length && (take === 0 || size + queue[take]!.entries.length <= maxBatch)) size += queue[take++]!.entries.length;
  return take;
}
