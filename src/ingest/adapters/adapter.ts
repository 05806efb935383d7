import type { Static, TSchema } from "@sinclair/typebox";
import type { IngestAuth, IngestRequest } from "../types.ts";

/**
 * An ingest adapter turns one wire format into typed ingest requests; the pipeline never learns
 * which format an event came in. A format is one file in this folder exporting an `IngestAdapter`
 * (its routes: path, TypeBox body schema, and `toRequests`), plus one line in `index.ts`. The
 * HTTP layer mounts every route, validates the body against its schema (which also documents it in
 * /swagger), reads the body with the size limit and the JSON guard, and hands `toRequests` the
 * validated body and what it knows of the client.
 *
 * An adapter that authenticates its sender (a project key) sets `auth` on the requests it
 * returns; the bot filter then lets them through.
 */
export interface IngestAdapter {
  /** The wire format's name, e.g. "json" (ours), "sentry", "plausible". */
  name: string;
  routes: readonly AdapterRoute[];
}

export interface AdapterRoute<S extends TSchema = TSchema> {
  /** POST path, e.g. "/api/pageview". */
  path: string;
  /** One line for /swagger. */
  summary: string;
  body: S;
  /** The validated body → one typed request per event it carries (usually one). */
  toRequests(body: Static<S>, http: HttpContext): IngestRequest[];
}

/** What the HTTP layer knows about the request, before any adapter reads the body. */
export interface HttpContext {
  client: { ip: string; userAgent: string; countryHeader?: string | null };
  headers: { origin: string | null; referer: string | null };
  receivedAt: Date;
  /** The raw request, for formats that read their own headers (an auth key, a protocol version). */
  request: Request;
  /** The project a valid public key (X-API-Key, or Authorization: Bearer pk_…) proved, else null. */
  auth: IngestAuth | null;
}

/** Declares a route; the generic ties `toRequests`'s body type to the schema. */
export function defineRoute<S extends TSchema>(route: AdapterRoute<S>): AdapterRoute<S> {
  return route;
}

/**
 * The fields every typed request takes from the HTTP context. With a key, the key decides the
 * project: an event without a `site` goes to the project's first site, never to the host of an
 * Origin (an app's webview) or Referer.
 */
export function base(http: HttpContext, body: { site?: string; url?: string; pathname?: string; referrer?: string | null }) {
  return {
    client: http.client,
    headers: http.headers,
    receivedAt: http.receivedAt,
    auth: http.auth,
    site: body.site ?? http.auth?.sites[0] ?? null,
    url: body.url ?? null,
    pathname: body.pathname ?? null,
    referrer: body.referrer ?? null,
  };
}
