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
  invalid_project: { status: 400, meaning: "A Sentry endpoint's path has no project id: use the number at the end of the DSN." },
  invalid_header: { status: 400, meaning: "A Sentry envelope's header, or one of its item headers, is not a JSON object." },
  invalid_item_header: { status: 400, meaning: "A Sentry envelope item header has no `type`." },
  invalid_length: { status: 400, meaning: "A Sentry envelope item's `length` is not a non-negative integer, or its payload does not end there." },
  truncated: { status: 400, meaning: "A Sentry envelope ends inside an item's payload; nothing from it was stored." },
  invalid_item: {
    status: 400,
    meaning: "A Sentry envelope item that is kept (event, session, sessions, feedback, user_report) is not a JSON object; nothing from the envelope was stored.",
  },
  invalid_query: {
    status: 400,
    meaning:
      "A Stats API query or export (unknown metric or dimension, incompatible combination, range too large, limit over 10,000, unsafe pattern), or a crash-group or feedback list or detail parameter, is not valid; the message starts with the field.",
  },
  unauthorized: {
    status: 401,
    meaning: "A secret or token is missing or wrong (X-Secret on /api/transformer, Bearer METRICS_TOKEN on /metrics), or a read needs a login, an API token or a share link.",
  },
  invalid_key: { status: 401, meaning: "The public key (X-API-Key or Bearer pk_…) is unknown or revoked." },
  missing_key: { status: 401, meaning: "A Sentry endpoint got no public key: send ?sentry_key=, an X-Sentry-Auth header, or a dsn in the envelope header." },
  invalid_token: { status: 401, meaning: "The API token (Authorization: Bearer pat_…) is unknown or revoked, or the header is malformed." },
  invalid_credentials: { status: 401, meaning: "Login failed: the email or password is wrong (the same answer whether or not the email exists)." },
  invalid_share: { status: 401, meaning: "The share link does not exist or was revoked." },
  password_required: { status: 401, meaning: "The share link is password-protected: unlock it at POST /api/auth/share." },
  setup_required: { status: 401, meaning: "No user exists yet, so nothing is readable: create the first admin (bun run cli user create, or ADMIN_EMAIL/ADMIN_PASSWORD)." },
  invalid_signature: { status: 401, meaning: "POST /report with HMAC_SECRET set: X-HMAC-Signature is missing or is not sha256=<hex HMAC-SHA256 of the body>." },
  forbidden: {
    status: 403,
    meaning:
      "Not allowed: an admin-only endpoint, a read-scope token asked to change something, a reader or share link outside its projects, or /metrics without METRICS_TOKEN from another machine.",
  },
  csrf_rejected: { status: 403, meaning: "A state-changing browser request came from another origin (Origin / Sec-Fetch-Site check)." },
  wrong_project: { status: 403, meaning: "The public key belongs to another project than the event's site." },
  not_found: { status: 404, meaning: "No route for this method and path." },
  project_not_found: { status: 404, meaning: "No project with this id or slug." },
  key_not_found: { status: 404, meaning: "No public key with this id (in this project)." },
  user_not_found: { status: 404, meaning: "No user with this id or email." },
  session_not_found: { status: 404, meaning: "No live session with this id for the caller." },
  token_not_found: { status: 404, meaning: "No API token with this id (of the caller)." },
  share_not_found: { status: 404, meaning: "No share link with this id (in this project)." },
  group_not_found: { status: 404, meaning: "No crash group with this id (or none you may read)." },
  feedback_not_found: { status: 404, meaning: "No feedback with this id (or none you may read)." },
  webhook_not_found: { status: 404, meaning: "No alert webhook with this id in this project." },
  duplicate_slug: { status: 409, meaning: "Another project already uses this slug (or it is another project's domain)." },
  duplicate_domain: { status: 409, meaning: "A domain already belongs to another project." },
  duplicate_key: { status: 409, meaning: "This public key is already registered (keys are unique across projects)." },
  duplicate_email: { status: 409, meaning: "A user with this email already exists." },
  last_admin: { status: 409, meaning: "The only admin cannot be deleted or made a viewer." },
  transformer_disabled: { status: 404, meaning: "/api/transformer is off: FLOWCORE_TRANSFORMER_SECRET is not set." },
  payload_too_large: { status: 413, meaning: "The body is larger than MAX_BODY_BYTES (Sentry endpoints: 1 MB as sent, 4 MB decompressed)." },
  too_many_items: { status: 413, meaning: "A Sentry envelope carries more than 100 items." },
  item_too_large: { status: 413, meaning: "A Sentry event, session or feedback item is larger than 1 MB." },
  unsupported_media_type: { status: 415, meaning: "The Content-Type is neither application/json nor text/plain." },
  unsupported_encoding: { status: 415, meaning: "The Content-Encoding is none of gzip, deflate or br (Sentry endpoints)." },
  invalid_body: { status: 422, meaning: "A field is missing, has the wrong type or is over its limit; the message names the field." },
  too_deep: { status: 422, meaning: "The JSON is nested more than 8 levels deep." },
  missing_site: { status: 422, meaning: "No site: send `site` in the body, or an Origin or Referer header." },
  no_events: { status: 422, meaning: "The body is valid but carries no event." },
  invalid_name: { status: 422, meaning: "`name`: a non-empty name of at most 100 characters is required." },
  invalid_slug: { status: 422, meaning: "`slug`: lower-case letters, digits and hyphens, 1–48 characters." },
  invalid_domains: { status: 422, meaning: "`domains`: host names such as example.com (the message names the entry)." },
  invalid_timezone: { status: 422, meaning: "`timezone`: an IANA time zone name such as Europe/Copenhagen or UTC." },
  invalid_settings: { status: 422, meaning: "`settings`: a JSON object of at most 8 KB." },
  invalid_email: { status: 422, meaning: "`email`: an email address is required." },
  invalid_role: { status: 422, meaning: "`role`: admin or viewer." },
  invalid_scope: { status: 422, meaning: "`scope`: read or admin." },
  invalid_id: { status: 422, meaning: "An id in the path or arguments is not a positive whole number." },
  invalid_key_format: { status: 422, meaning: "`key`: an imported public key must be 16–200 printable ASCII characters without spaces." },
  invalid_user: { status: 422, meaning: "Grants are for viewers: admins read every project already." },
  invalid_project_ids: { status: 422, meaning: "`projectIds`: grants are for viewers, not admins." },
  weak_password: { status: 422, meaning: "`password`: at least 10 characters (at most 256), not the email address." },
  not_stored: { status: 422, meaning: "POST /report: the report was filtered (its app is not in ALLOWED_SITES), so there is no id to answer with." },
  invalid_status: {
    status: 422,
    meaning: "A crash-group status change is not valid: a status other than new, ongoing, resolved or ignored, or an option that does not go with it (the message names it).",
  },
  invalid_group: { status: 422, meaning: "Something that is not a crash group id (`<version>:<64 hex digits>`) where one is expected." },
  invalid_feedback: { status: 422, meaning: "Something that is not a feedback id (a UUID) where one is expected." },
  invalid_webhook: { status: 422, meaning: "An alert webhook's `url`, `format`, `events` or `name` is not valid; the message names it." },
  unknown_event_type: { status: 422, meaning: "A delivered event's flowType/eventType has no handler." },
  invalid_payload: { status: 422, meaning: "A delivered event's payload does not match its contract." },
  too_many_attempts: { status: 429, meaning: "Too many failed logins (or share unlocks) from this client or for this account; wait for Retry-After seconds." },
  rate_limited: { status: 429, meaning: "Too many requests from this client; wait for Retry-After seconds." },
  client_closed: { status: 499, meaning: "The client hung up before its event was stored; nothing was stored (logged and counted, never received)." },
  internal: { status: 500, meaning: "An unexpected error; the details are in the server log, not in the answer." },
  unavailable: { status: 503, meaning: "The database is unreachable; nothing was stored. Retry after Retry-After seconds." },
  overloaded: { status: 503, meaning: "The event store is falling behind; nothing was stored. Retry after Retry-After seconds." },
  dashboard_not_built: { status: 503, meaning: "The dashboard is not built: run bun run build:dashboard (bun install does it)." },
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
