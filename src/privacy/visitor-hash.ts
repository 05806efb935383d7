/**
 * The visitor hash: a keyed hash of (site, IP, user agent) under the day's salt. The same person
 * on the same site and day gets the same value; another site or another day gives another value,
 * and without the salt (deleted after 48 h in random mode) nobody can link it back.
 */
export function hashVisitor(salt: Buffer, site: string, ip: string, userAgent: string): string {
  // Bun's native HMAC: the same bytes as node:crypto's createHmac, at half the cost per request.
  return new Bun.CryptoHasher("sha256", salt).update(site).update("\0").update(ip).update("\0").update(userAgent).digest("hex").slice(0, 32);
}
