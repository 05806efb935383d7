import { Type, type Static } from "@sinclair/typebox";

/**
 * Request bodies. One TypeBox schema gives the runtime validation, the static type and the
 * OpenAPI docs at /swagger. Limits here are the documented limits of the API.
 */
export const LIMITS = {
  pathname: 2048,
  url: 4096,
  referrer: 2048,
  title: 512,
  site: 253,
  eventName: 120,
  propKeys: 30,
  propKey: 64,
  propValue: 512,
  errorType: 200,
  message: 10_000,
  stack: 32_768,
  frames: 256,
  breadcrumbs: 200,
} as const;

const site = Type.Optional(Type.String({ maxLength: LIMITS.site, description: "Site (host name). Default: host of Origin, else of Referer" }));
const referrer = Type.Optional(Type.Union([Type.String({ maxLength: LIMITS.referrer }), Type.Null()], { description: "document.referrer" }));
const url = Type.Optional(Type.String({ maxLength: LIMITS.url, description: "Full page URL; utm_* are read from it, the query is not stored" }));

export const PageviewBody = Type.Object(
  {
    pathname: Type.String({ maxLength: LIMITS.pathname, description: "Path of the page, e.g. /pricing" }),
    referrer,
    site,
    url,
    title: Type.Optional(Type.String({ maxLength: LIMITS.title })),
  },
  { description: "A page view" },
);
export type PageviewBody = Static<typeof PageviewBody>;

export const CustomProperties = Type.Record(
  Type.String({ maxLength: LIMITS.propKey }),
  Type.Union([Type.String({ maxLength: LIMITS.propValue }), Type.Number({ minimum: -Number.MAX_VALUE, maximum: Number.MAX_VALUE }), Type.Boolean()]),
  { maxProperties: LIMITS.propKeys, description: `Flat properties: at most ${LIMITS.propKeys} keys of ≤ ${LIMITS.propKey} chars; values string (≤ ${LIMITS.propValue} chars), number or boolean` },
);

export const EventBody = Type.Object(
  {
    eventName: Type.String({ minLength: 1, maxLength: LIMITS.eventName, description: 'Event name; "page_view" counts as a page view' }),
    pathname: Type.Optional(Type.String({ maxLength: LIMITS.pathname })),
    referrer,
    site,
    url,
    customProperties: Type.Optional(CustomProperties),
  },
  { description: "A custom event (the seed snippet's body works unchanged)" },
);
export type EventBody = Static<typeof EventBody>;

const Frame = Type.Object({
  file: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
  filename: Type.Optional(Type.String({ maxLength: 2048 })),
  line: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  lineno: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  colno: Type.Optional(Type.Integer()),
  function: Type.Optional(Type.Union([Type.String({ maxLength: 1024 }), Type.Null()])),
  method: Type.Optional(Type.String({ maxLength: 1024 })),
  isNative: Type.Optional(Type.Boolean()),
});

export const CrashBody = Type.Object(
  {
    errorType: Type.String({ minLength: 1, maxLength: LIMITS.errorType, description: "Exception class, e.g. TypeError" }),
    message: Type.Optional(Type.String({ maxLength: LIMITS.message })),
    errorMessage: Type.Optional(Type.String({ maxLength: LIMITS.message, description: "Alias of message" })),
    stack: Type.Optional(Type.String({ maxLength: LIMITS.stack, description: "Raw stack text: JavaScript (V8, Gecko, JavaScriptCore), CPython traceback, Java/Kotlin/Android trace, Apple backtrace or crash report, .NET, Go panic. Kept as raw text when no parser understands it" })),
    stackTrace: Type.Optional(Type.Array(Frame, { maxItems: LIMITS.frames, description: "Parsed frames; the innermost 64 are kept" })),
    release: Type.Optional(Type.String({ maxLength: 200 })),
    appVersion: Type.Optional(Type.String({ maxLength: 200, description: "Alias of release" })),
    platform: Type.Optional(Type.String({ maxLength: 100, description: "e.g. web, node, python, android, ios, dotnet, go: stored, and picks the stack format to try first" })),
    osVersion: Type.Optional(Type.String({ maxLength: 100 })),
    severity: Type.Optional(Type.Union([Type.Literal("warning"), Type.Literal("error"), Type.Literal("fatal")])),
    breadcrumbs: Type.Optional(Type.Array(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown()), { maxItems: LIMITS.breadcrumbs, description: "The last 50 are kept" })),
    context: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 50 })),
    appState: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 50, description: "Alias of context" })),
    fingerprint: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { minItems: 1, maxItems: 10, description: "Client-chosen grouping key" })),
    pathname: Type.Optional(Type.String({ maxLength: LIMITS.pathname })),
    site,
    url,
  },
  { description: "A crash report (snippet shape or the richer Oasis shape)" },
);
export type CrashBody = Static<typeof CrashBody>;

export const FlowcoreEventBody = Type.Object(
  {
    eventId: Type.String({ minLength: 1, maxLength: 200 }),
    timeBucket: Type.Optional(Type.String({ maxLength: 50 })),
    tenant: Type.Optional(Type.String({ maxLength: 200 })),
    dataCoreId: Type.Optional(Type.String({ maxLength: 200 })),
    flowType: Type.Optional(Type.String({ maxLength: 200 })),
    aggregator: Type.Optional(Type.String({ maxLength: 200, description: "Legacy name of flowType" })),
    eventType: Type.String({ minLength: 1, maxLength: 200 }),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    payload: Type.Record(Type.String(), Type.Unknown()),
    validTime: Type.Optional(Type.String({ maxLength: 50 })),
  },
  { description: "An event as Flowcore delivers it to a transformer" },
);
export type FlowcoreEventBody = Static<typeof FlowcoreEventBody>;

export const AcceptedResponse = Type.Object({ accepted: Type.Literal(true), id: Type.String() });
export const DroppedResponse = Type.Object({ accepted: Type.Literal(false), reason: Type.String() });
export const ErrorResponse = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String() }) });
