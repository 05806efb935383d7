/**
 * CORS for the Sentry endpoints: any origin (a browser SDK posts from the app's own origin, with
 * no credentials), the headers SDKs send, and the rate-limit headers exposed so that a browser
 * SDK can read them and back off.
 */
export const SENTRY_CORS_HEADERS: Record<string, string> = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "x-sentry-error, x-sentry-rate-limits, retry-after",
};

export function sentryPreflight(): Response {
  return new Response(null, {
    status: 200,
    headers: {
      ...SENTRY_CORS_HEADERS,
      "access-control-allow-methods": "POST, OPTIONS",
      "access-control-allow-headers": "content-type, x-sentry-auth, content-encoding, sentry-trace, baggage, authorization",
      "access-control-max-age": "86400",
    },
  });
}

/** `/api/<digits>/envelope` or `/store`, with or without the trailing slash. */
export function isSentryPath(pathname: string): boolean {
  return /^\/api\/[^/]+\/(?:envelope|store)\/?$/.test(pathname);
}
