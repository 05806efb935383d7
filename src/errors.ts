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
