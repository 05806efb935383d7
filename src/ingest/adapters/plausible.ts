import { Type, type Static } from "@sinclair/typebox";
import { AppError } from "../../errors.ts";
import { LIMITS } from "../../limits.ts";
import type { IngestRequest } from "../types.ts";
import { base, defineRoute, type HttpContext, type IngestAdapter } from "./adapter.ts";
import { flatProperties } from "./flat-properties.ts";

/** At most this many sites in one `d` list (Plausible's multi-site "rollup" tracking). */
const MAX_DOMAINS = 10;

const Props = Type.Union([
  Type.Record(Type.String({ maxLength: 300 }), Type.Unknown(), { maxProperties: 100 }),
  Type.String({ maxLength: 16_384, description: "JSON-encoded object (older trackers)" }),
  Type.Null(),
]);
const Revenue = Type.Union([
  Type.Object({ amount: Type.Union([Type.Number(), Type.String({ maxLength: 64 })]), currency: Type.String({ minLength: 3, maxLength: 3 }) }),
  Type.String({ maxLength: 256, description: "JSON-encoded {amount, currency}" }),
  Type.Null(),
]);

/**
 * The body Plausible's tracker sends (short names, `text/plain` JSON), and the long names of
 * Plausible's Events API for servers. Properties are checked when read (flatProperties).
 */
export const PlausibleBody = Type.Object(
  {
    n: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.eventName, description: '"pageview", "engagement" or a custom event name' })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.eventName, description: "Events API: alias of n" })),
    u: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.url, description: "Page URL" })),
    url: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.url, description: "Events API: alias of u" })),
    d: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: "Site domain, or a comma-separated list: the event is recorded for each" })),
    domain: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: "Events API: alias of d" })),
    r: Type.Optional(Type.Union([Type.String({ maxLength: LIMITS.referrer }), Type.Null()])),
    referrer: Type.Optional(Type.Union([Type.String({ maxLength: LIMITS.referrer }), Type.Null()])),
    p: Type.Optional(Props),
    m: Type.Optional(Props),
    props: Type.Optional(Props),
    h: Type.Optional(Type.Union([Type.Integer(), Type.Boolean()], { description: "Hash-based routing: the fragment is part of the page" })),
    i: Type.Optional(Type.Boolean({ description: "Interactive (accepted; bounce rate is not computed from it)" })),
    interactive: Type.Optional(Type.Boolean()),
    $: Type.Optional(Revenue),
    revenue: Type.Optional(Revenue),
    v: Type.Optional(Type.Union([Type.Integer(), Type.String({ maxLength: 32 })], { description: "Tracker version (not stored)" })),
    sd: Type.Optional(Type.Number({ description: "engagement: scroll depth (not stored)" })),
    e: Type.Optional(Type.Number({ description: "engagement: engaged time (not stored)" })),
  },
  { description: "Plausible's tracker / Events API body" },
);
type PlausibleBody = Static<typeof PlausibleBody>;

/**
 * Plausible's tracker posts to `/api/event`, the path of our own custom events: its bodies are
 * told apart by Plausible's names (`n`, or the Events API's `name` + `domain`), which ours never
 * use. `pageview` is a page view; `engagement` (scroll depth, time on page) is accepted and
 * records nothing, since we keep no per-visit timing; any other name is a custom event with the
 * properties and revenue as flat properties. Answered as Plausible does: 202 `ok`, with
 * `x-plausible-dropped: 1` when the event was filtered (a bot, a site not allowed).
 */
export const plausibleAdapter: IngestAdapter = {
  name: "plausible",
  routes: [
    defineRoute({
      path: "/api/event",
      summary: "Plausible's tracker and Events API (n, u, d, r, p, h, $)",
      body: PlausibleBody,
      claims: (body) => isRecord(body) && ("n" in body || ("name" in body && "domain" in body)),
      toRequests: plausibleRequests,
      respond: (outcomes) => ({
        status: 202,
        body: "ok",
        headers: outcomes.some((o) => !o.accepted) ? { "x-plausible-dropped": "1" } : undefined,
      }),
      responses: { 202: Type.Literal("ok") },
    }),
  ],
};

function plausibleRequests(body: PlausibleBody, http: HttpContext): IngestRequest[] {
  const name = body.n ?? body.name;
  const url = body.u ?? body.url;
  const domains = body.d ?? body.domain;
  if (!name) throw new AppError(422, "invalid_body", "n: the event name is required");
  if (!url) throw new AppError(422, "invalid_body", "u: the page URL is required");
  if (!domains) throw new AppError(422, "invalid_body", "d: the site domain is required");
  if (name === "engagement") return [];
  const sites = [
    ...new Set(
      domains
        .split(",")
        .map((d) => d.trim())
        .filter(Boolean),
    ),
  ].slice(0, MAX_DOMAINS);
  if (sites.length === 0) throw new AppError(422, "invalid_body", "d: no domain in the list");
  const pathname = body.h === 1 || body.h === true ? hashRoutedPath(url) : undefined;
  const referrer = body.r ?? body.referrer ?? null;
  const properties = name === "pageview" ? {} : { ...flatProperties(body.p ?? body.m ?? body.props, "p"), ...revenueProperties(body.$ ?? body.revenue) };
  return sites.map((site) => {
    const common = base(http, { site, url, pathname, referrer });
    return name === "pageview" ? { ...common, kind: "pageview", title: null } : { ...common, kind: "custom_event", eventName: name, properties };
  });
}

/** With hash routing the page is path + fragment (`/#/settings`); clean_url keeps `#/…`. */
function hashRoutedPath(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.pathname + u.hash;
  } catch {
    return undefined;
  }
}

/** Plausible's revenue `{amount, currency}` as two flat properties. */
function revenueProperties(revenue: PlausibleBody["$"]): Record<string, string | number> {
  let r: unknown = revenue;
  if (typeof r === "string") {
    try {
      r = JSON.parse(r);
    } catch {
      throw new AppError(422, "invalid_body", "$: revenue is not valid JSON");
    }
  }
  if (!isRecord(r)) return {};
  const amount = typeof r.amount === "number" ? r.amount : Number(r.amount);
  if (!Number.isFinite(amount)) throw new AppError(422, "invalid_body", "$.amount: revenue amount must be a number");
  if (typeof r.currency !== "string" || !/^[A-Za-z]{3}$/.test(r.currency)) throw new AppError(422, "invalid_body", "$.currency: a 3-letter ISO currency code is required");
  return { revenue_amount: amount, revenue_currency: r.currency.toUpperCase() };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
