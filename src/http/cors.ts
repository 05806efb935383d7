/**
 * CORS for the public ingest API. Reads (`/api/*` POST) need no credentials, so `*` is safe by
 * default; CORS_ORIGINS narrows it to listed origins.
 */
export function corsHeaders(origin: string | null, allowed: string[] | "*"): Record<string, string> {
  if (allowed === "*") return { "access-control-allow-origin": "*" };
  if (origin && allowed.includes(origin.toLowerCase())) return { "access-control-allow-origin": origin, vary: "Origin" };
  return { vary: "Origin" };
}

export function preflightResponse(request: Request, allowed: string[] | "*"): Response {
  const requested = request.headers.get("access-control-request-headers");
  return new Response(null, {
    status: 204,
    headers: {
      ...corsHeaders(request.headers.get("origin"), allowed),
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": requested && /^[\w\-, ]{1,500}$/.test(requested) ? requested : "content-type",
      "access-control-max-age": "86400",
    },
  });
}
