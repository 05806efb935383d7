import { Type, type Static } from "@sinclair/typebox";
import { AppError } from "../../errors.ts";
import { LIMITS } from "../../limits.ts";
import type { IngestRequest } from "../types.ts";
import { base, defineRoute, type HttpContext, type IngestAdapter, type Outcome } from "./adapter.ts";
import { flatProperties } from "./flat-properties.ts";
import { vitalsFrom } from "./vitals-input.ts";

const Vital = (max: number) => Type.Optional(Type.Number({ minimum: 0, maximum: max }));

/**
 * Umami's `payload`. `screen`, `language`, `id` (a distinct id), `ip` and `userAgent` are accepted
 * so its clients work, and never read: screen size and language are fingerprinting inputs, the
 * others identify a person or override what the pipeline derives from the request itself.
 */
const UmamiPayload = Type.Object({
  website: Type.Optional(Type.String({ maxLength: 64, description: "Umami website id; UMAMI_WEBSITES may map it to a site" })),
  hostname: Type.Optional(Type.String({ maxLength: LIMITS.site, description: "The site" })),
  url: Type.Optional(Type.String({ maxLength: LIMITS.url, description: "Page path (or URL), URI-encoded" })),
  referrer: Type.Optional(Type.String({ maxLength: LIMITS.referrer })),
  title: Type.Optional(Type.String({ maxLength: LIMITS.title * 3, description: "URI-component-encoded by the tracker" })),
  name: Type.Optional(Type.String({ maxLength: LIMITS.eventName, description: "Custom event name; absent = page view" })),
  data: Type.Optional(Type.Record(Type.String({ maxLength: 500 }), Type.Unknown(), { maxProperties: 100 })),
  screen: Type.Optional(Type.String({ maxLength: 32, description: "Never stored" })),
  language: Type.Optional(Type.String({ maxLength: 35, description: "Never stored" })),
  tag: Type.Optional(Type.String({ maxLength: 50 })),
  id: Type.Optional(Type.String({ maxLength: 100, description: "Distinct id: never stored" })),
  timestamp: Type.Optional(Type.Number({ description: "Ignored: the time of receipt counts" })),
  lcp: Vital(60_000),
  inp: Vital(60_000),
  cls: Vital(100),
  fcp: Vital(60_000),
  ttfb: Vital(60_000),
});

export const UmamiSendBody = Type.Object(
  {
    type: Type.Union([Type.Literal("event"), Type.Literal("identify"), Type.Literal("performance"), Type.Literal("engagement")]),
    payload: UmamiPayload,
  },
  { description: "Umami's /api/send body" },
);
type UmamiSendBody = Static<typeof UmamiSendBody>;

export const UmamiBatchBody = Type.Array(UmamiSendBody, { minItems: 1, maxItems: 100, description: "Umami's /api/batch body" });

/**
 * The token Umami's tracker keeps and echoes in `x-umami-cache`. Umami puts its session in it;
 * we keep no session, so it is a constant that carries nothing, and what comes back is ignored.
 */
export const UMAMI_CACHE_TOKEN = "private-analytics.no-session";

const SendResponse = Type.Object({ cache: Type.String(), beep: Type.Optional(Type.String()) });
const BatchResponse = Type.Object({ size: Type.Integer(), processed: Type.Integer(), errors: Type.Integer(), details: Type.Array(Type.Unknown()) });

/**
 * Umami's tracker (`/api/send`) and `/api/batch` (@umami/node, imports). The site is the
 * payload's `hostname`, or the site UMAMI_WEBSITES maps the `website` id to. `event` with a
 * `name` is a custom event (`data` as flat properties), without one a page view; `performance`
 * is a Web Vitals measurement; `identify` and `engagement` are accepted and store nothing (a
 * distinct id is a person's, and we keep no per-visit timing). Answered as Umami does: 200 with
 * `{cache}` (and Umami's `{beep: "boop"}` for a bot).
 */
export const umamiAdapter: IngestAdapter = {
  name: "umami",
  routes: [
    defineRoute({
      path: "/api/send",
      summary: "Umami's tracker: page views, custom events, performance",
      body: UmamiSendBody,
      toRequests: (body, http) => umamiRequests(body, http),
      respond: (outcomes) => ({
        status: 200,
        body: outcomes.some((o) => !o.accepted && o.reason === "bot") ? { cache: UMAMI_CACHE_TOKEN, beep: "boop" } : { cache: UMAMI_CACHE_TOKEN },
      }),
      responses: { 200: SendResponse },
    }),
    defineRoute({
      path: "/api/batch",
      summary: "Umami's batch of /api/send bodies (all or nothing)",
      body: UmamiBatchBody,
      toRequests: (body, http) => body.flatMap((item) => umamiRequests(item, http)),
      // The batch is validated whole, so an item is never half-taken: every item is processed.
      respond: (_outcomes: Outcome[], body) => ({ status: 200, body: { size: body.length, processed: body.length, errors: 0, details: [] } }),
      responses: { 200: BatchResponse },
    }),
  ],
};

function umamiRequests(body: UmamiSendBody, http: HttpContext): IngestRequest[] {
  const { type, payload: p } = body;
  if (type === "identify" || type === "engagement") return [];
  const site = (p.website && http.config.umamiWebsites.get(p.website.toLowerCase())) || p.hostname;
  if (!site) throw new AppError(422, "invalid_body", "payload.hostname: the site's host name is required");
  const url = pageUrl(site, p.url);
  const referrer = p.referrer ? decodeUri(p.referrer) : null;
  const common = base(http, { site, url, referrer: referrer || null });
  if (type === "performance") {
    const vitals = vitalsFrom(p);
    return vitals ? [{ ...common, kind: "vitals", vitals }] : [];
  }
  if (p.name) return [{ ...common, kind: "custom_event", eventName: p.name, properties: flatProperties(p.data, "payload.data") }];
  const title = p.title ? decodeUriComponent(p.title).slice(0, LIMITS.title) : null;
  return [{ ...common, kind: "pageview", title: title || null }];
}

/** Umami sends the path (`/blog?x=1`, URI-encoded) or, from servers, a full URL. */
function pageUrl(site: string, url: string | undefined): string {
  const u = decodeUri(url ?? "/");
  if (/^https?:\/\//i.test(u)) return u;
  return `https://${site}${u.startsWith("/") ? u : `/${u}`}`;
}

function decodeUri(s: string): string {
  try {
    return decodeURI(s);
  } catch {
    return s;
  }
}

function decodeUriComponent(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
