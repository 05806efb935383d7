import { Type, type Static } from "@sinclair/typebox";
import { LIMITS } from "../../limits.ts";

/**
 * The request bodies of our JSON format. One TypeBox schema gives the runtime validation, the
 * static type and the OpenAPI docs at /swagger; the limits come from src/limits.ts.
 */
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
  {
    maxProperties: LIMITS.propKeys,
    description: `Flat properties: at most ${LIMITS.propKeys} keys of ≤ ${LIMITS.propKey} chars; values string (≤ ${LIMITS.propValue} chars), number or boolean`,
  },
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
  { description: 'A custom event; an eventName of "page_view" counts as a page view' },
);
export type EventBody = Static<typeof EventBody>;

const Frame = Type.Object({
  file: Type.Optional(Type.Union([Type.String({ maxLength: LIMITS.frameFile }), Type.Null()])),
  filename: Type.Optional(Type.String({ maxLength: LIMITS.frameFile })),
  line: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  lineno: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  colno: Type.Optional(Type.Integer()),
  function: Type.Optional(Type.Union([Type.String({ maxLength: LIMITS.frameFunction }), Type.Null()])),
  method: Type.Optional(Type.String({ maxLength: LIMITS.frameFunction })),
  isNative: Type.Optional(Type.Boolean()),
});

export const CrashBody = Type.Object(
  {
    errorType: Type.String({ minLength: 1, maxLength: LIMITS.errorType, description: "Exception class, e.g. TypeError" }),
    message: Type.Optional(Type.String({ maxLength: LIMITS.message })),
    errorMessage: Type.Optional(Type.String({ maxLength: LIMITS.message, description: "Alias of message" })),
    stack: Type.Optional(
      Type.String({
        maxLength: LIMITS.stack,
        description:
          "Raw stack text: JavaScript (V8, Gecko, JavaScriptCore), CPython traceback, Java/Kotlin/Android trace, Apple backtrace or crash report, .NET, Go panic. Kept as raw text when no parser understands it",
      }),
    ),
    stackTrace: Type.Optional(Type.Array(Frame, { maxItems: LIMITS.frames, description: `Parsed frames; the innermost ${LIMITS.storedFrames} are kept` })),
    release: Type.Optional(Type.String({ maxLength: LIMITS.release })),
    appVersion: Type.Optional(Type.String({ maxLength: LIMITS.release, description: "Alias of release" })),
    platform: Type.Optional(
      Type.String({ maxLength: LIMITS.platform, description: "e.g. web, node, python, android, ios, dotnet, go: stored, and picks the stack format to try first" }),
    ),
    osVersion: Type.Optional(Type.String({ maxLength: LIMITS.crashOsVersion })),
    severity: Type.Optional(Type.Union([Type.Literal("warning"), Type.Literal("error"), Type.Literal("fatal")])),
    breadcrumbs: Type.Optional(
      Type.Array(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown()), { maxItems: LIMITS.breadcrumbs, description: `The last ${LIMITS.storedBreadcrumbs} are kept` }),
    ),
    context: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: LIMITS.contextKeys })),
    appState: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: LIMITS.contextKeys, description: "Alias of context" })),
    fingerprint: Type.Optional(
      Type.Array(Type.String({ maxLength: LIMITS.fingerprintPart }), { minItems: 1, maxItems: LIMITS.fingerprintParts, description: "Client-chosen grouping key" }),
    ),
    pathname: Type.Optional(Type.String({ maxLength: LIMITS.pathname })),
    site,
    url,
  },
  {
    description:
      "A crash report: the fields our browser snippet sends (errorType, message, stack), or the richer ones of mobile and server SDKs (errorMessage, stackTrace, appVersion, appState, breadcrumbs, …)",
  },
);
export type CrashBody = Static<typeof CrashBody>;
