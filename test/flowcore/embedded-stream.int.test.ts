import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedPostgres } from "../../src/db/embedded.ts";
import { silentLogger } from "../../src/log.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { createTestDatabase, TEST_PG_PORT, testServer, type TestDatabase } from "../support/postgres.ts";
import { count, crash, ingest, pageview, waitFor } from "./helpers.ts";

const repo = new URL("../../", import.meta.url).pathname;
let db: TestDatabase;
let t: TestApp;
beforeAll(async () => {
  db = await createTestDatabase("stream");
  // No delivery loop: whatever gets projected, the stream command projected.
  t = await startTestApp({ db, delivery: false, env: { RATE_LIMIT_RPS: "0", LOG_LEVEL: "warn" } });
  await ingest(t, [pageview(1)]); // before the stream starts: not its business
});
afterAll(async () => {
  await t.stop();
  await db.drop();
});

describe("embedded stream", () => {
  test("bun flowcore:stream follows new events into the tables until Ctrl-C", async () => {
    const child = Bun.spawn([process.execPath, "run", "src/cli/flowcore.ts", "stream"], {
      cwd: repo,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", DATABASE_URL: db.url },
      stdout: "pipe",
      stderr: "pipe",
    });
    let out = "";
    const reading = (async () => {
      for await (const chunk of child.stdout as unknown as AsyncIterable<Uint8Array>) out += new TextDecoder().decode(chunk);
    })();
    try {
      await waitFor("the stream to start", () => out.includes("Streaming new events"));
      await ingest(t, [pageview(2), pageview(3), crash(1)]);
      await waitFor("streamed rows", async () => (await count(t.sql, "pageviews")) === 2 && (await count(t.sql, "crashes")) === 1);
      child.kill("SIGINT");
      expect(await child.exited).toBe(0);
      await reading;
      expect(out).toContain("Stopped after 3 events.");
    } finally {
      child.kill();
    }
  }, 30_000);
});

describe("a CLI command and a running embedded server", () => {
  test("a command reusing a running server does not own it (so never stops it); a fresh start owns it", async () => {
    const running = await testServer();
    expect(running.owned).toBe(true);
    const borrowed = await startEmbeddedPostgres({
      dataDir: join(tmpdir(), `analytics-test-pg-${TEST_PG_PORT}`),
      port: TEST_PG_PORT,
      database: "postgres",
      log: silentLogger,
      adoptRunning: false,
    });
    expect(borrowed.pid).toBe(running.pid);
    expect(borrowed.owned).toBe(false);
  }, 30_000);
});
