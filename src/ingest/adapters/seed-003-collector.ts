import { Type, type Static } from "@sinclair/typebox";
import { AppError } from "../../errors.ts";
import { LIMITS } from "../../limits.ts";
import type { IngestRequest, VitalsInput } from "../types.ts";
import { base, defineRoute, type HttpContext, type IngestAdapter } from "./adapter.ts";
import { splitErrorMessage } from "./error-message.ts";
import { flatProperties } from "./flat-properties.ts";
import { vitalsFrom } from "./vitals-input.ts";

/** The collector's body limit (its server refuses larger bodies with 413). */
const MAX_BYTES = 256 * 1024;
/** Errors taken from one /collect body: a page in an error loop should not flood the crash list. */
const MAX_ERRORS = 10;

const Anything = Type.Optional(Type.Unknown({ description: "Accepted, never read or stored" }));
const Json = Type.Record(Type.String({ maxLength: 200 }), Type.Unknown(), { maxProperties: 200 });

/** Seed 003's `/event`. The three client ids are accepted so its script works, and never read. */
export const CollectorEventBody = Type.Object(
  {
    visitor_id: Type.Optional(Type.String({ maxLength: 256, description: "Never stored" })),
    session_id: Type.Optional(Type.String({ maxLength: 256, description: "Never stored" })),
    pageview_id: Type.Optional(Type.String({ maxLength: 256, description: "Never stored" })),
    event_type: Type.String({ minLength: 1, maxLength: LIMITS.eventName, description: '"pageview", "webvitals" (payload: LCP, INP, CLS, FCP, TTFB) or a custom event name' }),
    seq: Type.Optional(Type.Integer()),
    client_timestamp: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    path: Type.Optional(Type.Union([Type.String({ maxLength: LIMITS.pathname }), Type.Null()])),
    referrer: Type.Optional(Type.Union([Type.String({ maxLength: LIMITS.referrer }), Type.Null()])),
    payload: Type.Optional(Json),
  },
  { description: "Seed 003 collector event" },
);
type CollectorEventBody = Static<typeof CollectorEventBody>;

/**
 * Seed 003's `/collect`: browser, performance, fingerprint and error data. Only errors and
 * performance are read; the browser details (user agent, screen, memory …), canvas fingerprint,
 * fonts, WebGL, battery, network and benchmarks are fingerprinting signals: never read, so never
 * stored or logged anywhere, the event log included.
 */
export const CollectBody = Type.Object(
  {
    url: Type.Optional(Type.String({ maxLength: LIMITS.url, description: "The page (default: the Referer)" })),
    performance: Type.Optional(Json),
    performance_data: Type.Optional(Json),
    errors: Type.Optional(Type.Array(Json, { maxItems: 1000 })),
    browser: Anything,
    browser_info: Anything,
    fingerprint: Anything,
    fingerprints: Anything,
    network: Anything,
    battery: Anything,
    benchmarks: Anything,
    timestamp: Anything,
    client_timestamp: Anything,
  },
  { description: "Seed 003 collector payload" },
);
type CollectBody = Static<typeof CollectBody>;

/**
 * Seed 003 (Collector). `/event`: a page view, a Web Vitals measurement or a custom event with its
 * payload as properties. `/collect`: errors → crashes, navigation timing and Web Vitals → one
 * performance measurement; answered with the payload, as the collector's server does. The site
 * is the page's host (Origin, else Referer). Bodies over 256 KB get 413.
 */
export const seed003Adapter: IngestAdapter = {
  name: "seed-003",
  routes: [
    defineRoute({
      path: "/event",
      summary: "Seed 003 collector event (page view, webvitals, custom)",
      body: CollectorEventBody,
      maxBodyBytes: MAX_BYTES,
      toRequests: eventRequests,
    }),
    defineRoute({
      path: "/collect",
      summary: "Seed 003 collector payload (errors, performance; fingerprints are never stored)",
      body: CollectBody,
      maxBodyBytes: MAX_BYTES,
      toRequests: collectRequests,
      // The collector's server answers with the payload it was sent (its page shows it).
      respond: (_outcomes, body) => ({ status: 200, body }),
      responses: { 200: Type.Unknown() },
    }),
  ],
};

function eventRequests(body: CollectorEventBody, http: HttpContext): IngestRequest[] {
  const common = base(http, { pathname: body.path ?? undefined, referrer: body.referrer ?? null, url: pageFromReferer(http) });
  if (body.event_type === "pageview") return [{ ...common, kind: "pageview", title: null }];
  if (body.event_type.toLowerCase() === "webvitals") {
    const vitals = vitalsFrom(body.payload ?? {});
    if (!vitals) throw new AppError(422, "invalid_body", "payload: no Web Vitals value (LCP, INP, CLS, FCP, TTFB) in range");
    return [{ ...common, kind: "vitals", vitals }];
  }
  return [{ ...common, kind: "custom_event", eventName: body.event_type, properties: flatProperties(body.payload, "payload") }];
}

function collectRequests(body: CollectBody, http: HttpContext): IngestRequest[] {
  const url = body.url ?? pageFromReferer(http);
  const common = base(http, { url: url ?? undefined });
  const out: IngestRequest[] = [];
  const vitals = performanceOf(body.performance ?? body.performance_data);
  if (vitals) out.push({ ...common, kind: "vitals", vitals });
  for (const e of (body.errors ?? []).slice(0, MAX_ERRORS)) {
    const text = str(e.message) ?? str(e.msg) ?? "";
    const stack = str(e.stack) ?? str((e.error as Record<string, unknown> | undefined)?.stack) ?? null;
    if (!text && !stack) continue;
    const { errorType, message } = splitErrorMessage(text, stack, "web");
    const file = str(e.filename) ?? str(e.source);
    const line = typeof e.lineno === "number" ? e.lineno : null;
    out.push({
      ...common,
      kind: "crash",
      crash: {
        errorType: (str(e.type) && str(e.type) !== "error" ? str(e.type)! : errorType).slice(0, LIMITS.errorType),
        message: message.slice(0, LIMITS.message),
        stack: stack ? stack.slice(0, LIMITS.stack) : null,
        // No stack: the location the error event gave is the one frame there is.
        stackTrace: !stack && file ? [{ file: file.slice(0, LIMITS.frameFile), line, column: typeof e.colno === "number" ? e.colno : null }] : null,
        fingerprint: null,
        release: null,
        platform: "web",
        osVersion: null,
        severity: "error",
        breadcrumbs: null,
        context: null,
      },
    });
  }
  return out;
}

/**
 * Navigation timing (Level 2 entries are relative to the navigation; Level 1 `performance.timing`
 * is absolute, so `navigationStart` is subtracted) and any Web Vitals the page reported.
 */
function performanceOf(perf: Record<string, unknown> | undefined): VitalsInput | null {
  if (!perf) return null;
  const nav = record(perf.navigation) ?? record(perf.timing) ?? perf;
  const start = num(nav.navigationStart) ?? num(nav.startTime) ?? 0;
  const since = (v: unknown) => {
    const n = num(v);
    return n !== null && n > 0 && n >= start ? n - start : undefined;
  };
  const vitalsSource = record(perf.webVitals) ?? record(perf.web_vitals) ?? record(perf.vitals) ?? perf;
  return vitalsFrom(
    { ttfb: num(perf.ttfb) ?? since(nav.responseStart), ...vitalsSource },
    {
      domContentLoaded: num(perf.domContentLoaded) ?? since(nav.domContentLoadedEventEnd),
      load: num(perf.pageLoadTime) ?? num(perf.loadTime) ?? since(nav.loadEventEnd),
    },
  );
}

/** The page the request came from: the Referer (a page posting to its collector sends it). */
function pageFromReferer(http: HttpContext): string | undefined {
  return http.headers.referer ?? undefined;
}

function record(v: unknown): Record<string, unknown> | null {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}
function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}
function str(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : null;
}
