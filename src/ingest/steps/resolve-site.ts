import type { Step } from "../context.ts";
import { Drop } from "../types.ts";

/**
 * The site an event belongs to: the body's `site`, else the host of `Origin`, else of `Referer`.
 * Normalised to a lower-case host without port or leading `www.`, so `https://www.Example.com:443`
 * and `example.com` are one site.
 */
export function resolveSite(bodySite: string | null, headers: { origin: string | null; referer: string | null }, allowed: string[] | null): string | Drop {
  const site = (bodySite !== null && bodySite.trim() !== "" ? normaliseSite(bodySite) : null) ?? hostOf(headers.origin) ?? hostOf(headers.referer);
  if (!site) return new Drop("missing_site");
  if (allowed && !allowed.includes(site)) return new Drop("unknown_site");
  return site;
}

/** Step `resolve_site`. */
export const resolveSiteStep: Step = (ctx, deps) => {
  // A key proves a registered project, whose own sites check_project enforces: ALLOWED_SITES is for anonymous senders.
  const site = resolveSite(ctx.req.site, ctx.req.headers, ctx.req.auth ? null : deps.allowedSites);
  if (site instanceof Drop) return site;
  ctx.site = site;
  return ctx;
};

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
