/**
 * Small readers for untrusted Sentry JSON. Every string that leaves the adapter goes through
 * `text()`: capped, NUL characters removed and unpaired surrogates replaced, because Postgres
 * cannot store either and one bad string must never fail a whole batch of other clients' events.
 */
export function text(v: unknown, max: number): string | null {
  if (typeof v !== "string") return null;
  const s = clean(v.length > max * 2 ? v.slice(0, max * 2) : v).trim();
  return s === "" ? null : s.slice(0, max);
}

export function clean(s: string): string {
  return s.replaceAll("\0", "").toWellFormed();
}

export function record(v: unknown): Record<string, unknown> | null {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A Sentry timestamp: RFC 3339 text or Unix seconds (with a fraction). */
export function timestamp(v: unknown): Date | null {
  const d = typeof v === "number" && Number.isFinite(v) ? new Date(v * 1000) : typeof v === "string" && v.length <= 64 ? new Date(v) : null;
  return d && Number.isFinite(d.getTime()) ? d : null;
}

/** Sentry event ids are 32 hex digits; UUIDs with dashes are accepted and normalised. */
export function eventId(v: unknown): string | null {
  if (typeof v !== "string") return null;
  const hex = v.replaceAll("-", "").toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) ? hex : null;
}

/** Scalars only, each string capped: for small free-form maps such as breadcrumb data. */
export function scalars(v: unknown, maxKeys: number, maxLength: number): Record<string, string | number | boolean | null> | null {
  const r = record(v);
  if (!r) return null;
  const out: Record<string, string | number | boolean | null> = {};
  let n = 0;
  for (const [k, x] of Object.entries(r)) {
    if (n >= maxKeys) break;
    if (k === "__proto__" || k === "constructor" || k === "prototype") continue;
    const key = clean(k).slice(0, 64);
    if (typeof x === "string") out[key] = text(x, maxLength);
    else if ((typeof x === "number" && Number.isFinite(x)) || typeof x === "boolean" || x === null) out[key] = x;
    else continue;
    n++;
  }
  return n > 0 ? out : null;
}
