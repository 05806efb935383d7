/**
 * Where a Sentry SDK puts its public key: `?sentry_key=` (the JavaScript SDKs), the
 * `X-Sentry-Auth: Sentry sentry_key=…, sentry_version=7` header (most others; some older ones
 * send it as `Authorization`), or the `dsn` in the envelope header (first-party tunnels, which
 * forward the envelope as-is). Only the key is read; the client name and version are not kept.
 */
export interface SentryKey {
  key: string;
  /** The project id of a DSN, when the key came from one. */
  dsnProjectId: string | null;
}

const KEY = /^[A-Za-z0-9_\-.]{1,128}$/;

export function keyFromRequest(url: URL, headers: Headers): SentryKey | null {
  const query = url.searchParams.get("sentry_key");
  if (query && KEY.test(query)) return { key: query, dsnProjectId: null };
  for (const name of ["x-sentry-auth", "authorization"]) {
    const value = headers.get(name);
    const key = value ? keyFromAuthHeader(value) : null;
    if (key) return { key, dsnProjectId: null };
  }
  return null;
}

/** `Sentry sentry_key=abc, sentry_version=7, sentry_client=x/1.0` → "abc". */
export function keyFromAuthHeader(value: string): string | null {
  const m = /^\s*Sentry\s+(.{0,2000})$/i.exec(value);
  if (!m) return null;
  for (const part of m[1]!.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim().toLowerCase() === "sentry_key") {
      const key = part.slice(eq + 1).trim();
      return KEY.test(key) ? key : null;
    }
  }
  return null;
}

/** `https://<key>@host/<project id>` (optionally with a path before the id) → key and id. */
export function keyFromDsn(dsn: unknown): SentryKey | null {
  if (typeof dsn !== "string" || dsn.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    return null;
  }
  const key = url.username; // a key is [A-Za-z0-9_-.], so it never needs percent-decoding
  const projectId = url.pathname.split("/").filter(Boolean).pop() ?? null;
  if (!KEY.test(key)) return null;
  return { key, dsnProjectId: projectId };
}
