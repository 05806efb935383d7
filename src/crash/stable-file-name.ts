import { stripQueryAndFragment } from "./scrub.ts";

/**
 * Build hashes: hex ("3f9a2c1b"), mixed alphanumerics ("abc123def"), Vite base64url ("BvK3x9Qa").
 * Only Vite's hashes may contain "-", so `allowDash` is set only where one is expected.
 */
function looksLikeBuildHash(token: string, allowDash = false): boolean {
  if (!allowDash && token.includes("-")) return false;
  if (/^[0-9a-f]{6,64}$/i.test(token) && (/\d/.test(token) || token.length >= 8)) return true;
  if (/^[A-Za-z0-9_-]{8,64}$/.test(token) && /\d/.test(token) && /[A-Za-z]/.test(token)) return true;
  // Vite/Rollup hashes may happen to be all letters; random ones are visibly mixed-case.
  if (/^[A-Za-z_-]{8}$/.test(token)) {
    const upper = token.replace(/[^A-Z]/g, "").length;
    const lower = token.replace(/[^a-z]/g, "").length;
    return upper >= 3 && lower >= 1;
  }
  return false;
}

/** "app-8d7f6e5a" → "app"; "index-Bv_3-x9Q" (8-char Vite hash that itself contains "-") → "index". */
function stripDashedHash(stem: string): string {
  const dash = stem.lastIndexOf("-");
  if (dash > 0 && looksLikeBuildHash(stem.slice(dash + 1))) return stem.slice(0, dash);
  const vite = /^(.+)-([A-Za-z0-9_-]{8})$/.exec(stem);
  if (vite?.[1] && vite[2] && looksLikeBuildHash(vite[2], true)) return vite[1];
  return stem;
}

/** "https://cdn.x/assets/chunk.abc123def.min.js?v=2" → "chunk.min.js". */
export function stableFileName(file: string): string {
  const path = stripQueryAndFragment(file).replace(/[/\\]+$/, "");
  const base = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  const tokens = base.split(".");
  if (tokens.length < 2) return stripDashedHash(base);
  const stem = tokens[0] ?? "";
  const extension = tokens[tokens.length - 1] ?? "";
  const middle = tokens.slice(1, -1).filter((token) => !looksLikeBuildHash(token));
  const stableStem = looksLikeBuildHash(stem) ? "<hash>" : stripDashedHash(stem);
  return [stableStem, ...middle, extension].join(".");
}
