import type { Static, TSchema } from "@sinclair/typebox";
import type { Config } from "../../config.ts";
import type { ErrorCode } from "../../errors.ts";
import type { IngestedEvent } from "../pipeline.ts";
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
  /** POST path, e.g. "/api/pageview"; may hold Elysia params (`/sdk/:app_slug/crashes`). */
  path: string;
  /** One line for /swagger. */
  summary: string;
  body: S;
  /**
   * Only for a path two formats share (Plausible's and our `/api/event`): whether this body is
   * this format's. The first route that claims a body validates and handles it.
   */
  claims?(body: unknown): boolean;
  /** Bodies larger than this are refused with 413 (default: MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  /**
   * The validated body → one typed request per event it carries (none is allowed when `respond`
   * says what to answer). Async for formats that verify a signature or look up a project; an
   * AppError thrown here is the answer (401, 403, 422 …) and nothing is written.
   */
  toRequests(body: Static<S>, http: HttpContext): IngestRequest[] | Promise<IngestRequest[]>;
  /**
   * The foreign protocol's own success answer, given the outcome of each request (in order), once
   * every accepted event is durable. Default: ours (202 `{accepted, id}`, 200 when dropped).
   */
  respond?(outcomes: Outcome[], body: Static<S>): AdapterResponse;
  /** Error codes this route answers besides every ingest route's (for /swagger; listed in ERROR_CODES). */
  errors?: readonly ErrorCode[];
  /** The success answers' schemas by status, for /swagger (and checked by Elysia), when `respond` is set. */
  responses?: Record<number, TSchema>;
}

/** What became of one typed request: the stored event's payload (a crash's group), or the drop reason. */
export type Outcome = { accepted: true; id: string; payload: IngestedEvent["payload"] } | { accepted: false; reason: string };

export interface AdapterResponse {
  status: number;
  /** JSON (an object or array), or text sent as text/plain. */
  body: unknown;
  headers?: Record<string, string>;
}

/** What the HTTP layer knows about the request, before any adapter reads the body. */
export interface HttpContext {
  client: { ip: string; userAgent: string; countryHeader?: string | null };
  headers: { origin: string | null; referer: string | null };
  receivedAt: Date;
  /** The raw request, for formats that read their own headers (an auth key, a protocol version). */
  request: Request;
  /** The body's bytes as received (a signature is computed over them). */
  rawBody: Uint8Array;
  /** The path's parameters (`:app_slug`). */
  params: Record<string, string>;
  /** The settings a format reads (UMAMI_WEBSITES, HMAC_SECRET). */
  config: Config;
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
