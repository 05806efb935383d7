import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";

const DIST = fileURLToPath(new URL("../../snippet/dist/snippet.js", import.meta.url));
let cached: Promise<{ code: string; etag: string }> | null = null;

/** The built snippet (snippet/dist/snippet.js, produced by `bun run snippet/build.ts`). */
export function snippetAsset() {
  cached ??= Bun.file(DIST)
    .text()
    .then((code) => ({ code, etag: `"${createHash("sha256").update(code).digest("base64url").slice(0, 22)}"` }))
    .catch((err) => {
      cached = null;
      throw err;
    });
  return cached;
}

/**
 * If-None-Match check (RFC 9110 §13.1.2): a list of tags or `*`, compared weakly, so a tag a
 * proxy marked weak (`W/"…"`) still revalidates.
 */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}
