import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Every credential this module hands out (ingest keys, API tokens, session cookies, share slugs)
 * is random, shown once, and stored only as its SHA-256. A lookup by hash reveals nothing about
 * how close a guess was, and a database dump holds nothing that can be replayed.
 */
export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

/** Constant-time comparison of two hex digests of equal length. */
export function digestsMatch(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
