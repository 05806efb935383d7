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
