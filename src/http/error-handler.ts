import { Elysia } from "elysia";
import { isConnectionError } from "../db/client.ts";
import { AppError, errorResponse } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics/registry.ts";
import { validationMessage, type ValidationIssue } from "./validation-message.ts";

/**
 * The one place errors become responses: every error is `{ error: { code, message } }`. Bad input
 * is a 4xx with a message saying what to fix; a database outage is a 503; anything else is a 500
 * whose details go to the log, not to the client.
 */
export function errorHandler(log: Logger, metrics: Metrics, cors: (req: Request) => Record<string, string>) {
  return new Elysia({ name: "error-handler" }).onError({ as: "global" }, ({ code, error, request, set }) => {
    const headers = cors(request);
    const reply = (status: number, c: string, message: string, extra: Record<string, string> = {}) => {
      metrics.rejected.inc({ code: c });
      set.status = status; // what the request-duration metric records (the Response alone is not seen)
      if (status >= 500) log.throttled(`http-${c}`, 10_000, "error", "request failed", { code: c, path: new URL(request.url).pathname, error: error as Error });
      else log.throttled(`http-${c}`, 10_000, "info", "request rejected", { code: c, status, path: new URL(request.url).pathname });
      return errorResponse(status, c, message, { ...headers, ...extra });
    };
    // Elysia wraps errors thrown by a body parser in a ParseError; ours carry the real reason.
    const cause = (error as { cause?: unknown }).cause;
    if (code === "PARSE" && cause instanceof AppError) return reply(cause.status, cause.code, cause.message, cause.headers);
    if (error instanceof AppError) return reply(error.status, error.code, error.message, error.headers);
    switch (code) {
      case "VALIDATION":
        return reply(422, "invalid_body", validationMessage((error as { all?: ValidationIssue[] }).all, (error as { type?: string }).type));
      case "PARSE":
        return reply(400, "invalid_json", "the request body is not valid JSON");
      case "NOT_FOUND":
        return reply(404, "not_found", `no route for ${request.method} ${new URL(request.url).pathname}`);
      case "INVALID_COOKIE_SIGNATURE":
      case "INVALID_FILE_TYPE":
        return reply(400, "bad_request", "the request is malformed");
    }
    if (isConnectionError(error)) return reply(503, "unavailable", "the database is temporarily unavailable; retry later", { "retry-after": "5" });
    return reply(500, "internal", "internal error");
  });
}
