/** Cookie names and the attributes every credential cookie gets. */
export const SESSION_COOKIE = "pa_session";
export const SHARE_COOKIE = "pa_share";

export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const v = part.slice(eq + 1).trim();
      return v === "" ? null : v;
    }
  }
  return null;
}

/**
 * Served over HTTPS: the request URL says so, or the proxy in front does (X-Forwarded-Proto,
 * trusted only with TRUST_PROXY), or PUBLIC_URL is https.
 */
export function isHttps(request: Request, opts: { trustProxy: boolean; publicUrl: string | null }): boolean {
  if (request.url.startsWith("https:")) return true;
  if (opts.trustProxy && request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https") return true;
  return opts.publicUrl?.startsWith("https:") ?? false;
}

/** HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site posts), Secure over HTTPS. */
export function credentialCookie(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

export function clearedCookie(name: string, secure: boolean): string {
  return credentialCookie(name, "", 0, secure);
}
