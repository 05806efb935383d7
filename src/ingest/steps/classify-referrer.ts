import type { Step } from "../context.ts";
import { createLru } from "../lru.ts";
import type { ReferrerInfo } from "../types.ts";
import { cleanReferrerCached } from "./clean-referrer.ts";

// Well-known referrers by host suffix → a readable source name. Anything else is its host.
const SOURCES: [RegExp, string][] = [
  [/(^|\.)google\.[a-z.]+$/, "Google"],
  [/(^|\.)bing\.com$/, "Bing"],
  [/(^|\.)duckduckgo\.com$/, "DuckDuckGo"],
  [/(^|\.)search\.yahoo\.com$|(^|\.)yahoo\.com$/, "Yahoo"],
  [/(^|\.)yandex\.[a-z.]+$/, "Yandex"],
  [/(^|\.)baidu\.com$/, "Baidu"],
  [/(^|\.)ecosia\.org$/, "Ecosia"],
  [/(^|\.)search\.brave\.com$/, "Brave Search"],
  [/(^|\.)(facebook\.com|fb\.com|l\.facebook\.com|m\.facebook\.com)$/, "Facebook"],
  [/(^|\.)instagram\.com$/, "Instagram"],
  [/^t\.co$|(^|\.)twitter\.com$|(^|\.)x\.com$/, "Twitter"],
  [/(^|\.)linkedin\.com$|^lnkd\.in$/, "LinkedIn"],
  [/(^|\.)reddit\.com$/, "Reddit"],
  [/^news\.ycombinator\.com$/, "Hacker News"],
  [/(^|\.)github\.com$/, "GitHub"],
  [/(^|\.)youtube\.com$|^youtu\.be$/, "YouTube"],
  [/(^|\.)mastodon\.social$/, "Mastodon"],
  [/(^|\.)bsky\.app$/, "Bluesky"],
];

/**
 * Referrer → cleaned URL, host and source (see clean-referrer.ts for what is kept). A referrer
 * from the site itself is not a source.
 */
export function classifyReferrer(referrer: string | null, site: string, utmSource: string | null): ReferrerInfo {
  const cleaned = cleanReferrerCached(referrer);
  if (!cleaned || cleaned.host === site) {
    return { referrer: null, referrerHost: null, referrerSource: utmSource };
  }
  return { referrer: cleaned.url, referrerHost: cleaned.host, referrerSource: utmSource ?? sourceOf(cleaned.host) };
}

// Referring hosts repeat (a few search engines and social sites bring most visits): the result of
// the regular expressions above is kept per host (bounded, in memory only).
const sources = createLru<string>(10_000);
function sourceOf(host: string): string {
  return sources.get(host) ?? sources.set(host, SOURCES.find(([re]) => re.test(host))?.[1] ?? host);
}

/** Step `classify_referrer` (after clean_url: a utm_source wins over the referring host). */
export const classifyReferrerStep: Step = (ctx) => {
  ctx.referrer = classifyReferrer(ctx.req.referrer, ctx.site, ctx.utm.utmSource);
  return ctx;
};
