import type { TrustProxy } from "../config.ts";

/**
 * The client address: the socket's, unless TRUST_PROXY names a proxy header. Trusting a header
 * that no proxy sets would let any client pick its own address (and visitor hash), so it is off
 * by default.
 */
export function clientIp(request: Request, socketIp: string | null, trust: TrustProxy): string {
  if (trust.kind === "header") {
    const raw = request.headers.get(trust.header);
    if (raw) {
      const parts = raw.split(",").map((s) => s.trim()).filter(Boolean);
      // hops = N: the address N entries from the right was added by our outermost trusted proxy.
      const pick = trust.hops > 0 ? parts[Math.max(0, parts.length - trust.hops)] : parts[0];
      if (pick) return pick.slice(0, 64);
    }
  }
  return socketIp ?? "";
}
