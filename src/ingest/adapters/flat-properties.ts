import { AppError } from "../../errors.ts";
import { LIMITS } from "../../limits.ts";
import { parseGuardedJson } from "../../http/json-guard.ts";

export type FlatProperties = Record<string, string | number | boolean>;

/**
 * A foreign format's event properties (an object, or a JSON-encoded one) → our flat properties,
 * within our limits: strings, finite numbers and booleans kept; a nested value is kept as its
 * JSON text; null dropped; keys and strings cut to their limits; the first LIMITS.propKeys keys
 * kept. Other trackers accept more than we store, and their clients cannot be changed, so an
 * event is trimmed rather than refused. `field` names the body field in errors.
 */
export function flatProperties(value: unknown, field: string): FlatProperties {
  let v = value;
  if (typeof v === "string") {
    if (v.trim() === "") return {};
    try {
      v = parseGuardedJson(v);
    } catch {
      throw new AppError(422, "invalid_body", `${field}: properties are not valid JSON`);
    }
  }
  if (v === null || v === undefined) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw new AppError(422, "invalid_body", `${field}: properties must be an object`);
  const out: FlatProperties = {};
  let n = 0;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (n >= LIMITS.propKeys) break;
    if (x === null || x === undefined || k === "") continue;
    const key = k.slice(0, LIMITS.propKey);
    if (typeof x === "boolean") out[key] = x;
    else if (typeof x === "number") {
      if (!Number.isFinite(x)) continue;
      out[key] = x;
    } else out[key] = (typeof x === "string" ? x : JSON.stringify(x)).slice(0, LIMITS.propValue);
    n++;
  }
  return out;
}
