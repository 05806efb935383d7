import { createHash, timingSafeEqual } from "node:crypto";

/** Constant-time comparison; hashing first makes the time independent of the lengths too. */
export function secretMatches(provided: string | null | undefined, expected: string): boolean {
  if (provided == null) return false;
  const a = createHash("sha256").update(provided).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
