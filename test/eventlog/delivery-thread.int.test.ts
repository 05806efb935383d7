import { afterAll, expect, test } from "bun:test";
import { startDeliveryThread } from "../../src/eventlog/delivery-thread.ts";
import { createLogger } from "../../src/log.ts";
import { createMetrics } from "../../src/metrics/registry.ts";
import { startTestApp } from "../support/app.ts";
import { countRows } from "../support/count-rows.ts";
import { createTestDatabase } from "../support/postgres.ts";
import { until } from "../support/wait.ts";

const db = await createTestDatabase("delivery_thread");
afterAll(() => db.drop());

test("the delivery loop on its own thread projects the log, and its metrics and log lines reach the server's", async () => {
  // The app appends to the event log; nothing projects until the thread runs.
  const t = await startTestApp({ db, delivery: false });
  try {
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => t.post("/api/pageview", { site: "example.com", pathname: `/thread/${i}` }, { ip: `10.1.0.${i}` }).then((r) => r.status)),
    );
    expect(statuses.every((s) => s === 202)).toBe(true);
    // An event no handler accepts: the loop skips it and says so in the log.
    await t.sql`insert into event_log (ingest_id, flow_type, event_type, payload) values (gen_random_uuid(), 'analytics', 'no-such-event.v0', '{}')`;
    expect(await countRows(t.sql, "pageviews")).toBe(0);

    const lines: string[] = [];
    const metrics = createMetrics();
    const thread = startDeliveryThread({ url: db.url, metrics, log: createLogger("debug", (line) => lines.push(line)) });
    thread.start();
    thread.nudge();
    await until(async () => (await countRows(t.sql, "pageviews")) === 40, "the thread to project the 40 page views", 20_000);
    await until(() => lines.some((l) => l.includes("skipping an event no handler accepts")), "the skipped event's log line", 10_000);

    // Asked over messages: nothing is left, and a step finds nothing to do.
    expect(await thread.backlog()).toBe(0);
    expect(await thread.step()).toBe(0);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^analytics_events_projected_total\{type="pageview"\} 40$/m);
    expect(text).toMatch(/^analytics_projection_errors_total\{cause="invalid_event"\} 1$/m);
    expect(text).toMatch(/^analytics_eventlog_backlog 0$/m);
    const skipped = JSON.parse(lines.find((l) => l.includes("skipping an event no handler accepts"))!);
    expect(skipped).toMatchObject({ level: "error", code: "unknown_event_type" });

    // Stop lets the thread finish and end; it answers no more questions.
    await thread.stop();
    await expect(thread.step()).rejects.toThrow("not running");
    // Exactly once: the rows are the 40 page views, each once.
    expect(await countRows(t.sql, "pageviews")).toBe(40);
    const [distinct] = await t.sql<{ n: number }[]>`select count(distinct pathname)::int as n from pageviews`;
    expect(distinct!.n).toBe(40);
  } finally {
    await t.stop();
  }
});
