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

const NO_UTM: Utm = Object.freeze({ utmSource: null, utmMedium: null, utmCampaign: null, utmTerm: null, utmContent: null });

/**
 * Step `clean_url`: the path (from `pathname`, else the URL, else "/"), the stripped URL, utm_*.
 * The same as normalisePathname + stripUrl + utmFrom, with the URL parsed once.
 */
export const cleanUrlStep: Step = (ctx) => {
  const { url, pathname } = ctx.req;
  let u: URL | null = null;
  if (url) {
    try {
      u = new URL(url);
    } catch {}
  }
  ctx.pathname = normalisePathname(pathname ?? u?.pathname ?? "/");
  ctx.url = u && (u.protocol === "http:" || u.protocol === "https:") ? `${u.origin}${u.pathname}` : null;
  ctx.utm = u && u.search ? utmFrom(url) : NO_UTM;
  return ctx;
};
