import type { Server } from "bun";
import { until } from "./wait.ts";

/**
 * A stand-in for Flowcore's webhook API on 127.0.0.1: real HTTP, the same paths
 * (`/event/{tenant}/{dataCore}/{flowType}/{eventType}` and `/events/...` for batches), the API key in
 * the `Authorization` header, `{eventId}` / `{eventIds}` answers. It records everything and can be
 * told to fail the ways a real outage does: an error status (5xx, 429), requests that hang, a closed
 * port, or an accepted batch whose acknowledgement never arrives.
 */
export interface FakeRequest {
  path: string;
  authorization: string | null;
  /** The raw body text, so tests can search it for things that must never be sent. */
  body: string;
  status: number;
}

/** One event Flowcore accepted (a re-sent batch appears twice, like it would in Flowcore). */
export interface FakeEvent {
  eventId: string;
  flowType: string;
  eventType: string;
  payload: Record<string, unknown>;
  validTime: string;
}

type Mode = { kind: "ok" } | { kind: "status"; status: number } | { kind: "hang" } | { kind: "lose-ack" };

export interface FakeFlowcore {
  url: string;
  apiKey: string;
  tenant: string;
  dataCore: string;
  requests: FakeRequest[];
  events: FakeEvent[];
  /** Requests being handled right now (hanging ones included). */
  readonly inFlight: number;
  /** Answer every request with this status (503, 429, 500, 401...). */
  failWith(status: number): void;
  /** Hold every request open until recover() (then answer 503) or stop(). */
  hang(): void;
  /** Record the events, then hold the answer until recover() (then 503): Flowcore has them, we never hear so. */
  loseAcks(): void;
  /** Close the listening socket: connections are refused until recover(). */
  refuse(): void;
  recover(): Promise<void>;
  /** Resolves once `n` events have been accepted (or throws at the deadline). */
  waitForEvents(n: number, timeoutMs?: number): Promise<FakeEvent[]>;
  stop(): Promise<void>;
}

export async function startFakeFlowcore(opts: { apiKey?: string; tenant?: string; dataCore?: string } = {}): Promise<FakeFlowcore> {
  const apiKey = opts.apiKey ?? "fc_test_key_123";
  const tenant = opts.tenant ?? "test-tenant";
  const dataCore = opts.dataCore ?? "private-analytics";
  const requests: FakeRequest[] = [];
  const events: FakeEvent[] = [];
  let mode: Mode = { kind: "ok" };
  let held: (() => void)[] = [];
  let server: Server<undefined> | null = null;
  let port = 0;
  let inFlight = 0;

  const json = (status: number, body: unknown) => Response.json(body, { status });
  const hold = () => new Promise<void>((resolve) => held.push(resolve));
  const release = () => {
    for (const r of held) r();
    held = [];
  };

  function accept(flowType: string, eventType: string, body: unknown, batch: boolean): string[] | null {
    const items = batch ? body : [body];
    if (!Array.isArray(items) || items.some((p) => typeof p !== "object" || p === null)) return null;
    return (items as Record<string, unknown>[]).map((payload) => {
      const eventId = crypto.randomUUID();
      events.push({ eventId, flowType, eventType, payload, validTime: new Date().toISOString() });
      return eventId;
    });
  }

  async function handle(req: Request): Promise<Response> {
    inFlight++;
    try {
      return await answer(req);
    } finally {
      inFlight--;
    }
  }

  async function answer(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    const text = await req.text();
    const record = (status: number) => requests.push({ path, authorization: req.headers.get("authorization"), body: text, status });
    const m = /^\/(event|events)\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
    if (req.method !== "POST" || !m) return (record(404), json(404, { error: "Not Found", message: `no route ${req.method} ${path}` }));
    if (mode.kind === "hang") {
      await hold();
      return (record(503), json(503, { statusCode: 503, error: "Service Unavailable", message: "released after a hang" }));
    }
    if (mode.kind === "status") {
      const status = mode.status;
      return (record(status), json(status, { statusCode: status, error: "Failure", message: `told to fail with ${status}` }));
    }
    if (req.headers.get("authorization") !== apiKey) return (record(401), json(401, { error: "Unauthorized", message: "invalid API key" }));
    if (m[2] !== tenant || m[3] !== dataCore) return (record(404), json(404, { error: "Not Found", message: "unknown tenant or data core" }));
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return (record(400), json(400, { error: "Bad Request", message: "body is not JSON" }));
    }
    const ids = accept(decodeURIComponent(m[4]!), decodeURIComponent(m[5]!), body, m[1] === "events");
    if (!ids) return (record(400), json(400, { error: "Bad Request", message: "payload must be an object (or an array of objects)" }));
    if (mode.kind === "lose-ack") {
      await hold();
      return (record(503), json(503, { statusCode: 503, error: "Service Unavailable", message: "acknowledgement lost" }));
    }
    record(200);
    return m[1] === "events" ? json(200, { eventIds: ids }) : json(200, { eventId: ids[0] });
  }

  function listen() {
    // idleTimeout 0: a "hanging" request must stay open as long as the test wants it to.
    server = Bun.serve({ hostname: "127.0.0.1", port, idleTimeout: 0, fetch: handle });
    port = server.port!;
  }
  listen();

  const fake: FakeFlowcore = {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    tenant,
    dataCore,
    requests,
    events,
    get inFlight() {
      return inFlight;
    },
    failWith(status) {
      mode = { kind: "status", status };
    },
    hang() {
      mode = { kind: "hang" };
    },
    loseAcks() {
      mode = { kind: "lose-ack" };
    },
    refuse() {
      release();
      server?.stop(true);
      server = null;
    },
    async recover() {
      mode = { kind: "ok" };
      release();
      if (!server) listen();
    },
    async waitForEvents(n, timeoutMs = 15_000) {
      await until(() => events.length >= n, `${n} events at the fake Flowcore`, timeoutMs, 10).catch(() => {
        throw new Error(`fake Flowcore: expected ${n} events, got ${events.length} within ${timeoutMs} ms`);
      });
      return events;
    },
    async stop() {
      release();
      await server?.stop(true);
      server = null;
    },
  };
  return fake;
}
