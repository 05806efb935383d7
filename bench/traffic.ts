/**
 * Realistic ingest traffic for the bench, deterministic (seeded) so every run and every server
 * gets the same requests:
 * - visitors: `VISITORS` distinct client addresses (sent in X-Forwarded-For; the app runs with
 *   TRUST_PROXY=1), each with one user agent drawn from a pool of ~1,500 real-looking strings
 *   (Chrome, Firefox, Safari, Edge, Samsung Internet, Opera on desktop and mobile OSes, plus some
 *   crawlers and scripts) with a skewed popularity, so user-agent caches see what real traffic
 *   gives them: a few hot strings and a long tail;
 * - pages: 100 paths drawn with a Zipf(1) distribution, some with utm_* in the URL;
 * - referrers: none, search engines, social sites, and a webmail link with personal data;
 * - kinds: ~85 % page views (`/api/pageview`), ~15 % custom events (`/api/event`).
 * Request k goes to visitor k mod VISITORS (each far below the per-client rate limit even at full
 * speed) and uses step k mod STEPS of a pre-drawn sequence of (kind, page, referrer).
 */

export const VISITORS = 20_000;
export const STEPS = 16_384;
export const SITE = "example.com";

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index in [0, n) drawn with weight 1/(i+1)^s. */
function zipfSampler(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / (i + 1) ** s;
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const pick = <T>(xs: readonly T[], random: () => number): T => xs[Math.floor(random() * xs.length)]!;

// ── user agents ─────────────────────────────────────────────────────────────────────────────────

const WINDOWS = ["Windows NT 10.0; Win64; x64", "Windows NT 10.0; WOW64", "Windows NT 6.1; Win64; x64"];
const MACS = ["Macintosh; Intel Mac OS X 10_15_7", "Macintosh; Intel Mac OS X 10_14_6", "Macintosh; Intel Mac OS X 13_5_2", "Macintosh; Intel Mac OS X 14_4_1"];
const LINUXES = ["X11; Linux x86_64", "X11; Ubuntu; Linux x86_64", "X11; Fedora; Linux x86_64", "X11; CrOS x86_64 15633.69.0"];
const ANDROID_DEVICES = [
  "Pixel 6",
  "Pixel 7",
  "Pixel 7a",
  "Pixel 8",
  "Pixel 8 Pro",
  "SM-S911B",
  "SM-S918B",
  "SM-A546B",
  "SM-A136B",
  "SM-G991B",
  "SM-X710",
  "Redmi Note 12",
  "2201117TG",
  "CPH2449",
  "moto g54 5G",
  "K",
];
const IOS = ["15_8", "16_6_1", "16_7_8", "17_0", "17_3_1", "17_4_1", "17_5", "17_6_1", "18_0", "18_1", "18_1_1", "18_2"];
const BOTS = [
  "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/131.0.6778.69 Safari/537.36",
  "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
  "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
  "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
  "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
  "curl/8.4.0",
  "python-requests/2.31.0",
  "Go-http-client/1.1",
  "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
  "Twitterbot/1.0",
];

const chromeBuild = (major: number, random: () => number) => (random() < 0.6 ? `${major}.0.0.0` : `${major}.0.${6000 + Math.floor(random() * 900)}.${Math.floor(random() * 200)}`);

/** ~1,500 distinct browser user agents plus the bots, most popular first. */
export function userAgentPool(seed = 1): { browsers: string[]; bots: string[] } {
  const random = rng(seed);
  const set = new Set<string>();
  const add = (ua: string) => set.add(ua);
  let guard = 0;
  while (set.size < 1500 && guard++ < 100_000) {
    const r = random();
    const major = 131 - Math.floor(random() ** 2 * 32); // recent versions most common
    if (r < 0.3) add(`Mozilla/5.0 (${pick(WINDOWS, random)}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chromeBuild(major, random)} Safari/537.36`);
    else if (r < 0.42)
      add(
        `Mozilla/5.0 (Linux; Android ${10 + Math.floor(random() * 5)}; ${pick(ANDROID_DEVICES, random)}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chromeBuild(major, random)} Mobile Safari/537.36`,
      );
    else if (r < 0.56) {
      const v = pick(IOS, random);
      const device = random() < 0.85 ? `iPhone; CPU iPhone OS ${v} like Mac OS X` : `iPad; CPU OS ${v} like Mac OS X`;
      add(`Mozilla/5.0 (${device}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v.split("_").slice(0, 2).join(".")} Mobile/15E148 Safari/604.1`);
    } else if (r < 0.64)
      add(`Mozilla/5.0 (${pick(MACS, random)}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${16 + Math.floor(random() * 3)}.${Math.floor(random() * 6)} Safari/605.1.15`);
    else if (r < 0.72) add(`Mozilla/5.0 (${pick(MACS, random)}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chromeBuild(major, random)} Safari/537.36`);
    else if (r < 0.82) {
      const fx = 133 - Math.floor(random() ** 2 * 20);
      add(`Mozilla/5.0 (${pick([...WINDOWS, ...MACS, ...LINUXES], random)}; rv:${fx}.0) Gecko/20100101 Firefox/${fx}.0`);
    } else if (r < 0.9)
      add(
        `Mozilla/5.0 (${pick(WINDOWS, random)}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36 Edg/${major}.0.${2800 + Math.floor(random() * 200)}.${Math.floor(random() * 100)}`,
      );
    else if (r < 0.94)
      add(
        `Mozilla/5.0 (Linux; Android ${11 + Math.floor(random() * 4)}; ${pick(ANDROID_DEVICES, random)}) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/${22 + Math.floor(random() * 5)}.0 Chrome/${major}.0.0.0 Mobile Safari/537.36`,
      );
    else if (r < 0.97) add(`Mozilla/5.0 (${pick(LINUXES, random)}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chromeBuild(major, random)} Safari/537.36`);
    else add(`Mozilla/5.0 (${pick(WINDOWS, random)}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36 OPR/${100 + Math.floor(random() * 16)}.0.0.0`);
  }
  return { browsers: [...set], bots: BOTS };
}

// ── pages and requests ──────────────────────────────────────────────────────────────────────────

const SECTIONS = ["blog", "docs", "pricing", "changelog", "guides", "careers", "about", "integrations", "customers", "help"];
const REFERRERS = [
  null,
  null,
  null,
  "https://www.google.com/",
  "https://www.google.de/",
  "https://duckduckgo.com/",
  "https://www.bing.com/",
  "https://news.ycombinator.com/item?id=41234567",
  "https://www.reddit.com/r/programming/comments/1abcd2/some_title/",
  "https://t.co/Ab12Cd34",
  "https://github.com/example/project",
  "https://mail.example.org/u/jane.doe@example.com/inbox?x=1",
  "https://example.com/pricing",
];
const EVENTS = ["signup", "download", "newsletter_subscribe", "outbound_link", "video_play", "search"];

export interface Traffic {
  userAgents: string[];
  /** Per visitor: index into userAgents. */
  visitorAgent: Uint16Array;
  /** Per step: [endpoint path, JSON body]. */
  steps: [string, string][];
  /** How many of the user agents are bots (the last ones). */
  bots: number;
}

export function buildTraffic(seed = 42): Traffic {
  const random = rng(seed);
  const { browsers, bots } = userAgentPool(seed);
  const userAgents = [...browsers, ...bots];
  const browserRank = zipfSampler(browsers.length, 0.9, random);
  // ~3 % of visitors are crawlers or scripts.
  const visitorAgent = Uint16Array.from({ length: VISITORS }, () => (random() < 0.03 ? browsers.length + Math.floor(random() * bots.length) : browserRank()));
  const paths = Array.from({ length: 100 }, (_, i) => (i === 0 ? "/" : `/${SECTIONS[i % SECTIONS.length]}/${i < 10 ? "" : `page-${i}`}`.replace(/\/$/, "")));
  const page = zipfSampler(paths.length, 1, random);
  const steps: [string, string][] = Array.from({ length: STEPS }, () => {
    const pathname = paths[page()]!;
    const referrer = pick(REFERRERS, random);
    const utm = random() < 0.1 ? "?utm_source=newsletter&utm_medium=email&utm_campaign=launch" : "";
    const url = `https://${SITE}${pathname}${utm}`;
    if (random() < 0.85) return ["/api/pageview", JSON.stringify({ pathname, url, referrer, site: SITE, title: `Example: ${pathname}` })];
    const eventName = pick(EVENTS, random);
    const customProperties = { plan: pick(["free", "pro", "team"], random), position: Math.floor(random() * 5), logged_in: random() < 0.5 };
    return ["/api/event", JSON.stringify({ eventName, pathname, url, referrer, site: SITE, customProperties })];
  });
  return { userAgents, visitorAgent, steps, bots: bots.length };
}

/** Visitor n's address: 10.0.0.0/8, one per visitor. */
export function visitorAddress(n: number): string {
  return `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** The k-th request of the traffic (the Bun generator and the warm-up use this; wrk's Lua mirrors it). */
export function requestAt(t: Traffic, k: number): { path: string; body: string; headers: Record<string, string> } {
  const visitor = k % VISITORS;
  const [path, body] = t.steps[k % STEPS]!;
  return {
    path,
    body,
    headers: {
      "content-type": "text/plain;charset=UTF-8",
      origin: `https://${SITE}`,
      "user-agent": t.userAgents[t.visitorAgent[visitor]!]!,
      "x-forwarded-for": visitorAddress(visitor),
    },
  };
}
