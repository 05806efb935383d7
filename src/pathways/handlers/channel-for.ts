/**
 * The acquisition channel of a visit, from its source (the referrer's readable name, or
 * utm_source), its referrer host and utm_medium. The rules, first match wins (docs/query.md):
 *   1. paid     — utm_medium is cpc, ppc, paid, paidsearch, paid_social, cpm, cpv, display,
 *                 banner, affiliate, or starts with "paid"
 *   2. email    — utm_medium or utm_source mentions email, e-mail, newsletter or mail,
 *                 or the referrer is a web mail host (mail.*, outlook.*)
 *   3. search   — a search engine (Google, Bing, DuckDuckGo, Yahoo, Yandex, Baidu, Ecosia,
 *                 Brave Search, Startpage, Qwant, Naver, Seznam), or utm_medium is organic
 *   4. social   — a social network (Facebook, Instagram, Twitter/X, LinkedIn, Reddit, Hacker
 *                 News, YouTube, Mastodon, Bluesky, Pinterest, TikTok, Threads, WhatsApp,
 *                 Telegram), or utm_medium is social, social-network, social-media, sm
 *   5. direct   — no source and no referrer
 *   6. referral — anything else
 * Derived at projection time, so a rule change applies to old events after a rebuild.
 */
export type Channel = "paid" | "email" | "search" | "social" | "direct" | "referral";

const PAID = /^(cpc|ppc|paid|paidsearch|paid[-_ ]?social|cpm|cpv|display|banner|affiliate)$|^paid/;
const EMAIL = /e-?mail|newsletter|(^|[^a-z])mail/;
const SEARCH = new Set(["google", "bing", "duckduckgo", "yahoo", "yandex", "baidu", "ecosia", "brave search", "startpage", "qwant", "naver", "seznam"]);
const SOCIAL = new Set([
  "facebook",
  "instagram",
  "twitter",
  "x",
  "linkedin",
  "reddit",
  "hacker news",
  "youtube",
  "mastodon",
  "bluesky",
  "pinterest",
  "tiktok",
  "threads",
  "whatsapp",
  "telegram",
]);
const SOCIAL_MEDIUM = /^(social|social[-_ ]network|social[-_ ]media|sm)$/;

export function channelFor(v: { source: string | null; referrerHost: string | null; utmMedium?: string | null; utmSource?: string | null }): Channel {
  const medium = v.utmMedium?.trim().toLowerCase() ?? "";
  const source = v.source?.trim().toLowerCase() ?? "";
  const utmSource = v.utmSource?.trim().toLowerCase() ?? "";
  const host = v.referrerHost?.toLowerCase() ?? "";
  if (medium && PAID.test(medium)) return "paid";
  if (EMAIL.test(medium) || EMAIL.test(utmSource) || /^(mail|webmail|outlook)\./.test(host)) return "email";
  if (SEARCH.has(source) || medium === "organic") return "search";
  if (SOCIAL.has(source) || SOCIAL_MEDIUM.test(medium)) return "social";
  if (!source && !host) return "direct";
  return "referral";
}
