import type { TrustProxy } from "../config.ts";

/**
 * The client address: the socket's, unless TRUST_PROXY names a proxy header. Trusting a header
 * that no proxy sets would let any client pick its own address (and visitor hash), so it is off
 * by default. `socketIp` may be a function: the socket is then only asked when no trusted header
 * answers (asking costs a native call per request).
 */
export function clientIp(request: Request, socketIp: string | null | (() => string | null), trust: TrustProxy): string {
  if (trust.kind === "header") {
    const raw = request.headers.get(trust.header);
    if (raw) {
      // One address (the common case behind one proxy): no splitting.
      if (!raw.includes(",")) {
        const one = raw.trim();
        if (one) return one.slice(0, 64);
      } else {
        const parts = raw
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
        // hops = N: the address N entries from the right was added by our outermost trusted proxy.
        const pick = trust.hops > 0 ? parts[Math.max(0, parts.length - trust.hops)] : parts[0];
        if (pick) return pick.slice(0, 64);
      }
    }
  }
  return (typeof socketIp === "function" ? socketIp() : socketIp) ?? "";
}

type Server = { requestIP(r: Request): { address: string } | null } | null | undefined;
const known = new WeakMap<Request, string>();

/** clientIp for a request being served, worked out once per request (rate limiter and adapters both ask). */
export function requestClientIp(request: Request, server: Server, trust: TrustProxy): string {
  let ip = known.get(request);
  if (ip === undefined) {
    ip = clientIp(request, () => server?.requestIP(request)?.address ?? null, trust);
    known.set(request, ip);
  }
  return ip;
}
