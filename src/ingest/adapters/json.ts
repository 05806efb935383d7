import { CrashBody, EventBody, PageviewBody } from "./json-schemas.ts";
import { base, defineRoute, type IngestAdapter } from "./adapter.ts";

/** Our own JSON format: the snippet's and server clients' /api/pageview, /api/event, /api/crash. */
export const jsonAdapter: IngestAdapter = {
  name: "json",
  routes: [
    defineRoute({
      path: "/api/pageview",
      summary: "Record a page view",
      body: PageviewBody,
      toRequests: (body, http) => [{ ...base(http, body), kind: "pageview", title: body.title ?? null }],
    }),
    defineRoute({
      path: "/api/event",
      summary: 'Record a custom event ("page_view" counts as a page view)',
      body: EventBody,
      // `eventName: "page_view"` is how the original snippet reports a page view.
      toRequests: (body, http) => [
        body.eventName === "page_view"
          ? { ...base(http, body), kind: "pageview", title: null }
          : { ...base(http, body), kind: "custom_event", eventName: body.eventName, properties: body.customProperties ?? {} },
      ],
    }),
    defineRoute({
      path: "/api/crash",
      summary: "Report a crash",
      body: CrashBody,
      toRequests: (body, http) => [
        {
          ...base(http, body),
          kind: "crash",
          crash: {
            errorType: body.errorType,
            message: body.message || body.errorMessage || "",
            stack: body.stack ?? null,
            stackTrace: body.stackTrace ?? null,
            fingerprint: body.fingerprint ?? null,
            release: body.release || body.appVersion || null,
            platform: body.platform || null,
            osVersion: body.osVersion || null,
            severity: body.severity ?? null,
            breadcrumbs: body.breadcrumbs ?? null,
            context: body.context ?? body.appState ?? null,
          },
        },
      ],
    }),
  ],
};
