import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";

const cached = new Map<string, Promise<{ code: string; etag: string }>>();

/**
 * A built browser script in snippet/dist/ (`bun run snippet/build.ts`): the snippet
 * (`snippet.js`) or its opt-in Web Vitals add-on (`snippet.vitals.js`).
 */
export function snippetAsset(name: "snippet.js" | "snippet.vitals.js" = "snippet.js") {
  let asset = cached.get(name);
  if (!asset) {
    asset = Bun.file(fileURLToPath(new URL(`../../snippet/dist/${name}`, import.meta.url)))
      .text()
      .then((code) => ({ code, etag: `"${createHash("sha256").update(code).digest("base64url").slice(0, 22)}"` }))
      .catch((err) => {
        cached.delete(name);
        throw err;
      });
    cached.set(name, asset);
  }
  return asset;
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
