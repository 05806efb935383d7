import type { Step } from "../context.ts";

/**
 * URL clean-up. Query strings and fragments can carry emails, tokens and session ids, so stored
 * URLs keep only origin + path; the `utm_*` parameters are read out first.
 */
export function normalisePathname(pathname: string): string {
  let p = pathname.trim();
  if (!p.startsWith("/")) p = "/" + p;
  const cut = p.search(/[?#]/);
  // A hash route (`/#/settings`) is the page in hash-routed apps; keep it, drop any query in it.
  if (cut >= 0 && p[cut] === "#" && p[cut + 1] === "/") return p.replace(/\?.*$/, "");
  return cut >= 0 ? p.slice(0, cut) || "/" : p;
}

export function stripUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    return `${u.origin}${u.pathname}`;
  } catch {
    return null;
  }
}

export interface Utm {
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmTerm: string | null;
  utmContent: string | null;
}

export function utmFrom(url: string | null | undefined): Utm {
  let q: URLSearchParams | null = null;
  try {
    if (url) q = new URL(url).searchParams;
  } catch {}
  const get = (k: string) => q?.get(k)?.trim().slice(0, 256) || null;
  return {
    utmSource: get("utm_source") ?? get("ref"),
    utmMedium: get("utm_medium"),
    utmCampaign: get("utm_campaign"),
    utmTerm: get("utm_term"),
    utmContent: get("utm_content"),
  };
}

/** Step `clean_url`: the path (from `pathname`, else the URL, else "/"), the stripped URL, utm_*. */
export const cleanUrlStep: Step = (ctx) => {
  const { url, pathname } = ctx.req;
  ctx.pathname = normalisePathname(pathname ?? (url ? safePath(url) : "/"));
  ctx.url = stripUrl(url);
  ctx.utm = utmFrom(url);
  return ctx;
};

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "/";
  }
}
