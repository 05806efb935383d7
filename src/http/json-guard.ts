import { AppError } from "../errors.ts";

export const MAX_JSON_DEPTH = 8;
const FORBIDDEN = /"(?:__proto__|constructor|prototype)"\s*:/;
// Escapes Postgres jsonb cannot store: NUL and UTF-16 surrogate halves (which may be unpaired).
const UNSTORABLE = /\\u(?:0000|[dD][89a-fA-F])/;

/**
 * Parses untrusted JSON text. Nesting deeper than MAX_JSON_DEPTH is refused before parsing (no
 * endpoint needs more, and deep documents are a classic resource attack); the keys `__proto__`,
 * `constructor` and `prototype` are dropped so they can never be merged into an object further
 * down; NUL characters and unpaired surrogates are removed (as the README promises), because an
 * accepted event must be storable and a replacement character would be data the client never sent.
 * The reviver only runs when the text contains such a key or escape.
 */
export function parseGuardedJson(text: string): unknown {
  const depth = maxDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    throw new AppError(422, "too_deep", `JSON is nested ${depth} levels deep; at most ${MAX_JSON_DEPTH} are accepted`);
  }
  try {
    return FORBIDDEN.test(text) || UNSTORABLE.test(text) ? JSON.parse(text, sanitise) : JSON.parse(text);
  } catch {
    throw new AppError(400, "invalid_json", "the request body is not valid JSON");
  }
}

const isForbiddenKey = (key: string) => key === "__proto__" || key === "constructor" || key === "prototype";

function sanitise(this: Record<string, unknown>, key: string, value: unknown) {
  if (isForbiddenKey(key)) return undefined;
  const clean = cleanKey(key);
  if (clean !== key && this && typeof this === "object") {
    // A key with NUL or lone surrogates: re-home the value under its cleaned name, unless cleaning
    // turned it into a forbidden key ("__proto__\u0000" must not reach the prototype setter).
    delete this[key];
    if (!isForbiddenKey(clean)) this[clean] = typeof value === "string" ? cleanString(value) : value;
    return undefined;
  }
  return typeof value === "string" ? cleanString(value) : value;
}

// A high half not followed by a low half, or a low half not preceded by a high half. Without the
// `u` flag the pattern works on UTF-16 code units, so paired halves (a real emoji) never match.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function cleanString(s: string): string {
  const noNul = s.replaceAll("\0", "");
  return noNul.isWellFormed() ? noNul : noNul.replace(LONE_SURROGATE, "");
}
const cleanKey = cleanString;

/** Deepest bracket nesting outside string literals, in one pass. */
function maxDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}
