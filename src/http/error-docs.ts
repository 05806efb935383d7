import { withHeaders } from "@elysiajs/openapi";
import { Type, type TObject } from "@sinclair/typebox";
import { ERROR_CODES, type ErrorCode } from "../errors.ts";

/** Statuses whose answers carry Retry-After (rate limit, database down, store behind). */
const RETRY_AFTER = new Set([429, 503]);

/**
 * The documented error responses of a route, derived from ERROR_CODES: one schema per status whose
 * `code` is the union of the route's codes with that status, and whose description says what each
 * code means. Spread into a route's `response` map: `{ 202: Accepted, ...errorResponses("empty_body") }`.
 * Only documentation: error answers are built by the error handler, never validated against these.
 */
export function errorResponses(...codes: ErrorCode[]): Record<number, TObject> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const { status } = ERROR_CODES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<number, TObject> = {};
  for (const [status, list] of byStatus) {
    const schema = Type.Object(
      { error: Type.Object({ code: list.length === 1 ? Type.Literal(list[0]!) : Type.Union(list.map((c) => Type.Literal(c))), message: Type.String() }) },
      { description: list.map((c) => `\`${c}\`: ${ERROR_CODES[c].meaning}`).join(" ") },
    );
    out[status] = RETRY_AFTER.has(status) ? withHeaders(schema, { "retry-after": Type.String({ description: "Seconds to wait before retrying" }) }) : schema;
  }
  return out;
}

/** A Markdown table of every error code, for the top of the /swagger document. */
export function errorCodeTable(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, e]) => `| \`${code}\` | ${e.status} | ${e.meaning} |`);
  return ["| code | status | meaning |", "| --- | --- | --- |", ...rows].join("\n");
}

/** An OpenAPI response object, for routes documented through `detail.responses` alone. */
export interface ResponseDoc {
  description: string;
  headers?: Record<string, { schema: unknown; description?: string }>;
  content?: Record<string, { schema: unknown }>;
}

/**
 * The same error responses as plain OpenAPI objects, for routes without a `response` map (their
 * answers are not TypeBox-validated): `detail: { responses: { 200: …, ...errorResponseDocs("unauthorized") } }`.
 */
export function errorResponseDocs(...codes: ErrorCode[]): Record<string, ResponseDoc> {
  const out: Record<string, ResponseDoc> = {};
  for (const [status, schema] of Object.entries(errorResponses(...codes))) {
    const { headers, ...json } = schema as TObject & { headers?: Record<string, unknown> };
    out[status] = {
      description: schema.description ?? `error ${status}`,
      ...(headers
        ? { headers: Object.fromEntries(Object.entries(headers).map(([name, h]) => [name, { schema: h, description: (h as { description?: string }).description }])) }
        : {}),
      content: { "application/json": { schema: json } },
    };
  }
  return out;
}
