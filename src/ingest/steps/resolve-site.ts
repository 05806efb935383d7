import { AppError } from "../../errors.ts";
import { Drop } from "../types.ts";

/**
 * The site an event belongs to: the body's `site`, else the host of `Origin`, else of `Referer`.
 * Normalised to a lower-case host without port or leading `www.`, so `https://www.Example.com:443`
 * and `example.com` are one site.
 */
export function resolveSite(
  bodySite: unknown,
  headers: { origin: string | null; referer: string | null },
  allowed: string[] | null,
): string | Drop {
  const site =
    (typeof bodySite === "string" && bodySite.trim() !== "" ? normaliseSite(bodySite) : null) ??
    hostOf(headers.origin) ??
    hostOf(headers.referer);
  if (!site) {
    throw new AppError(422, "missing_site", "cannot tell which site this event is for: send `site` in the body, or an Origin/Referer header");
  }
  if (allowed && !allowed.includes(site)) return new Drop("unknown_site");
  return site;
}

export function normaliseSite(value: string): string | null {
  const v = value.trim().toLowerCase();
  const host = /^[a-z][a-z0-9+.-]*:\/\//.test(v) ? hostOf(v) : v.split("/")[0]!.replace(/:\d+$/, "");
  if (!host || !/^[a-z0-9.-]+$|^\[[0-9a-f:]+\]$/.test(host)) return null;
  return host.replace(/^www\./, "");
}

function hostOf(url: string | null): string | null {
  if (!url || url === "null") return null;
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host ? host.replace(/^www\./, "") : null;
  } catch {
    return null;
  }
}
