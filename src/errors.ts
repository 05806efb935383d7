/**
 * Every error code the API can answer with, its HTTP status and what it means. This list is the
 * one source: /swagger's per-route error responses and its table of codes are derived from it, and
 * a test fails when the code uses a code (or a status) that is not listed here.
 */
export const ERROR_CODES = {
  bad_request: { status: 400, meaning: "The request is malformed (for example a broken cookie or form)." },
  invalid_json: { status: 400, meaning: "The body is not valid JSON." },
  invalid_encoding: { status: 400, meaning: "The body is not valid UTF-8." },
  empty_body: { status: 400, meaning: "The body is empty; send a JSON object." },
  invalid_query: { status: 400, meaning: "A Stats API query or export is not valid (unknown metric or dimension, incompatible combination, range too large, limit over 10,000, unsafe pattern); the message starts with the field." },
  unauthorized: { status: 401, meaning: "A secret or token is missing or wrong (X-Secret on /api/transformer, Bearer METRICS_TOKEN on /metrics)." },
  setup_required: { status: 401, meaning: "Reading statistics needs an account, and none can be used yet." },
  forbidden: { status: 403, meaning: "Not allowed: without METRICS_TOKEN, /metrics answers only clients on this machine; a reader may not read another project's site." },
  not_found: { status: 404, meaning: "No route for this method and path." },
  transformer_disabled: { status: 404, meaning: "/api/transformer is off: FLOWCORE_TRANSFORMER_SECRET is not set." },
  payload_too_large: { status: 413, meaning: "The body is larger than MAX_BODY_BYTES." },
  unsupported_media_type: { status: 415, meaning: "The Content-Type is neither application/json nor text/plain." },
  invalid_body: { status: 422, meaning: "A field is missing, has the wrong type or is over its limit; the message names the field." },
  too_deep: { status: 422, meaning: "The JSON is nested more than 8 levels deep." },
  missing_site: { status: 422, meaning: "No site: send `site` in the body, or an Origin or Referer header." },
  no_events: { status: 422, meaning: "The body is valid but carries no event." },
  invalid_status: { status: 422, meaning: "A crash-group status change names a status other than new, resolved or ignored." },
  invalid_group: { status: 422, meaning: "A crash-group status change names something that is not a crash group id." },
  unknown_event_type: { status: 422, meaning: "A delivered event's flowType/eventType has no handler." },
  invalid_payload: { status: 422, meaning: "A delivered event's payload does not match its contract." },
  rate_limited: { status: 429, meaning: "Too many requests from this client; wait for Retry-After seconds." },
  client_closed: { status: 499, meaning: "The client hung up before its event was stored; nothing was stored (logged and counted, never received)." },
  internal: { status: 500, meaning: "An unexpected error; the details are in the server log, not in the answer." },
  unavailable: { status: 503, meaning: "The database is unreachable; nothing was stored. Retry after Retry-After seconds." },
  overloaded: { status: 503, meaning: "The event store is falling behind; nothing was stored. Retry after Retry-After seconds." },
} as const satisfies Record<string, { status: number; meaning: string }>;
export type ErrorCode = keyof typeof ERROR_CODES;

/** A domain error carries a stable code and the HTTP status it maps to. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}

/** The one JSON shape every error response has. */
export function errorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  const body: ErrorBody = { error: { code, message } };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** Raised when Postgres cannot be reached; mapped to 503 so clients retry later. */
export class UnavailableError extends AppError {
  constructor(what: string) {
    super(503, "unavailable", `${what} is temporarily unavailable; retry later`, { "retry-after": "5" });
  }
}
