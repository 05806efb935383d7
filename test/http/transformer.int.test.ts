import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "../support/app.ts";
import { countRows } from "../support/count-rows.ts";

const SECRET = "s3cret-transformer-key";
let t: TestApp;
beforeAll(async () => {
  // Delivery off: rows may only come from /api/transformer.
  t = await startTestApp({ delivery: false, env: { FLOWCORE_TRANSFORMER_SECRET: SECRET } });
});
afterAll(() => t.stop());

/** A Flowcore-shaped delivery of the newest event in the local log. */
async function flowcoreEventFor(ingest: () => Promise<Response>) {
  expect((await ingest()).status).toBe(202);
  const [row] = await t.sql`select flow_type, event_type, payload, created_at from event_log order by seq desc limit 1`;
  return {
    eventId: crypto.randomUUID(),
    timeBucket: "20260504100000",
    tenant: "acme",
    dataCoreId: crypto.randomUUID(),
    flowType: row!.flow_type as string,
    eventType: row!.event_type as string,
    metadata: {},
    payload: row!.payload as Record<string, unknown>,
    validTime: new Date(row!.created_at).toISOString(),
  };
}

const deliver = (event: unknown, secret: string | null = SECRET) =>
  t.app.handle(
    new Request("http://localhost/api/transformer", {
      method: "POST",
      headers: { "content-type": "application/json", ...(secret === null ? {} : { "x-secret": secret }) },
      body: JSON.stringify(event),
    }),
  );

const count = (table: string) => countRows(t.sql, table);

describe("POST /api/transformer", () => {
  test("good secret → row; the same event again → still one row", async () => {
    const event = await flowcoreEventFor(() => t.post("/api/pageview", { site: "example.com", pathname: "/t" }));
    const res = await deliver(event);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, eventId: event.eventId });
    expect(await count("pageviews")).toBe(1);
    expect((await deliver(event)).status).toBe(200);
    expect((await deliver({ ...event, eventId: crypto.randomUUID() })).status).toBe(200); // redelivered under a new Flowcore id
    expect(await count("pageviews")).toBe(1);
  });

  test("bad or missing secret → 401 and no row", async () => {
    const event = await flowcoreEventFor(() => t.post("/api/event", { site: "example.com", pathname: "/t", eventName: "signup" }));
    for (const secret of ["wrong", "", null, SECRET + "x"]) {
      const res = await deliver(event, secret);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe("unauthorized");
    }
    expect(await count("custom_events")).toBe(0);
    expect((await deliver(event)).status).toBe(200);
    expect(await count("custom_events")).toBe(1);
  });

  test("authentication comes before the body: no or wrong secret → 401 whatever the body", async () => {
    for (const secret of [null, "wrong"]) {
      for (const body of ["{}", "not json", JSON.stringify({ eventId: "x" }), ""]) {
        const res = await t.app.handle(
          new Request("http://localhost/api/transformer", { method: "POST", headers: { "content-type": "application/json", ...(secret ? { "x-secret": secret } : {}) }, body }),
        );
        expect(res.status).toBe(401);
        expect((await res.json()).error.code).toBe("unauthorized");
      }
    }
  });

  test("the projected counter uses the contract's label", async () => {
    const event = await flowcoreEventFor(() => t.post("/api/pageview", { site: "example.com", pathname: "/label" }));
    expect((await deliver(event)).status).toBe(200);
    const text = await (await t.app.handle(new Request("http://localhost/metrics"))).text();
    expect(text).toMatch(/analytics_events_projected_total\{type="pageview"\} [1-9]/);
    expect(text).not.toContain("pageview.tracked.v0");
  });

  test("legacy `aggregator` instead of flowType works", async () => {
    const event = await flowcoreEventFor(() => t.post("/api/crash", { site: "example.com", errorType: "Error", message: "boom" }));
    const { flowType, ...legacy } = event;
    expect((await deliver({ ...legacy, aggregator: flowType })).status).toBe(200);
    expect(await count("crashes")).toBe(1);
    expect((await deliver({ ...legacy, aggregator: flowType })).status).toBe(200);
    const [g] = await t.sql`select occurrences from crash_groups`;
    expect(g!.occurrences).toBe(1);
  });

  test("unknown event type → 422, invalid payload → 422, no row", async () => {
    const event = await flowcoreEventFor(() => t.post("/api/pageview", { site: "example.com", pathname: "/u" }));
    const before = await count("pageviews");
    let res = await deliver({ ...event, eventType: "pageview.deleted.v0" });
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe("unknown_event_type");
    res = await deliver({ ...event, payload: { ...event.payload, visitorHash: "not-a-hash" } });
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe("invalid_payload");
    res = await deliver({ eventId: "x" });
    expect(res.status).toBe(422);
    expect(await count("pageviews")).toBe(before);
  });

  test("without FLOWCORE_TRANSFORMER_SECRET the endpoint is disabled", async () => {
    const off = await startTestApp({ delivery: false });
    try {
      const res = await off.app.handle(
        new Request("http://localhost/api/transformer", {
          method: "POST",
          headers: { "content-type": "application/json", "x-secret": "x" },
          body: JSON.stringify({ eventId: "1", eventType: "x", payload: {} }),
        }),
      );
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe("transformer_disabled");
    } finally {
      await off.stop();
    }
  });
});
