/** The clock is passed in, never imported, so tests can move days without waiting. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** `YYYY-MM-DD` of the UTC day that contains `at`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Milliseconds from `at` to the next 00:00 UTC. */
export function msUntilNextUtcMidnight(at: Date): number {
  const next = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1);
  return next - at.getTime();
}
