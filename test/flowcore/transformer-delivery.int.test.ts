import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "../support/app.ts";
import { startFakeFlowcore, type FakeEvent, type FakeFlowcore } from "../support/fake-flowcore.ts";
import { count, crash, customEvent, deliver, flowcoreEnv, ingest, pageview, waitFor } from "./helpers.ts";

/**
 * The round trip of Flowcore mode: ingest → forwarder → (fake) Flowcore → /api/transformer →
 * tables. Flowcore delivers at least once, so every event arrives here twice and out of order.
 */
let fake: FakeFlowcore;
let t: TestApp;
let events: FakeEvent[];
beforeAll(async () => {
  fake = await startFakeFlowcore();
  t = await startTestApp({ env: flowcoreEnv(fake) });
  const ids = await ingest(t, [pageview(1), pageview(2), pageview(3), customEvent(1), customEvent(2), crash(1), crash(2), crash(3)]);
  events = await fake.waitForEvents(ids.length);
});
afterAll(async () => {
  await t.stop();
  await fake.stop();
});

const crashGroups = () => t.sql`select count(*)::int as groups, sum(occurrences)::int as occurrences, sum(affected_visitors)::int as visitors from crash_groups`.then((r) => r[0]);

describe("POST /api/transformer fed with Flowcore's deliveries", () => {
  test("nothing is projected until Flowcore delivers (Flowcore mode has no local delivery loop)", async () => {
    expect(t.runtime.delivery).toBeNull();
    expect(await count(t.sql, "pageviews")).toBe(0);
  });

  test("each event delivered once → one row per event", async () => {
    expect((await deliver(t.app, events)).every((s) => s === 200)).toBe(true);
    await waitFor("rows", async () => (await count(t.sql, "crashes")) === 3);
    expect(await count(t.sql, "pageviews")).toBe(3);
    expect(await count(t.sql, "custom_events")).toBe(2);
    expect(await crashGroups()).toEqual({ groups: 1, occurrences: 3, visitors: 3 });
  });

  test("redeliveries (again, reversed, and the same event twice at once) change nothing", async () => {
    expect((await deliver(t.app, [...events].reverse())).every((s) => s === 200)).toBe(true);
    const again = await Promise.all(events.map((e) => deliver(t.app, [e, e])));
    expect(again.flat().every((s) => s === 200)).toBe(true);
    expect(await count(t.sql, "pageviews")).toBe(3);
    expect(await count(t.sql, "custom_events")).toBe(2);
    expect(await count(t.sql, "crashes")).toBe(3);
    expect(await crashGroups()).toEqual({ groups: 1, occurrences: 3, visitors: 3 });
  });

  test("a delivery without the right X-Secret is refused and projects nothing", async () => {
    expect(await deliver(t.app, events.slice(0, 1), "wrong-secret-value")).toEqual([401]);
  });
});
