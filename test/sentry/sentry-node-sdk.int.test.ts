/**
 * The REAL @sentry/node SDK, in its own process, against the real server listening on 127.0.0.1:
 * a handled exception, a message, an event dropped by beforeSend, an uncaught error, an unhandled
 * rejection, the SDK's sessions and client reports. Each lands (or is discarded) as specified,
 * every request the SDK made got a 2xx, and no stored row holds a never-stored field.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listenApi } from "../e2e/harness.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { until } from "../support/wait.ts";
import { dumpAllTables, makeProject, type TestProject } from "./helpers.ts";

setDefaultTimeout(60_000);

let t: TestApp;
let api: ReturnType<typeof listenApi>;
let project: TestProject;
const statusDir = mkdtempSync(join(tmpdir(), "sentry-node-"));
const runtime = Bun.which("node") ?? "bun";

beforeAll(async () => {
  t = await startTestApp();
  api = listenApi(t);
  // A one-word name: keys are pk_<slug>_<hex>, and Sentry SDKs refuse a DSN whose key has a "-"
  // (their DSN pattern is \w+), so a hyphenated slug such as "node-app" gives an unusable DSN.
  project = await makeProject(t, "Nodeapp");
});
afterAll(async () => {
  await api.app.stop();
  await t.stop();
});

async function runClient(scenario: string): Promise<{ code: number; statuses: { types: string; status: number }[]; output: string }> {
  const file = join(statusDir, `${scenario}.jsonl`);
  const proc = Bun.spawn([runtime, join(import.meta.dir, "clients", "node-client.mjs"), project.dsn(new URL(api.origin).host), scenario, file], {
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env },
  });
  const code = await proc.exited;
  const output = (await new Response(proc.stdout).text()) + (await new Response(proc.stderr).text());
  const statuses = existsSync(file)
    ? readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
  return { code, statuses, output };
}

const crashes = () => t.sql`select error_type, message, severity, release, environment, platform, frames, context from crashes order by occurred_at`;

describe("@sentry/node 10.78.0 against the real server", () => {
  test("handled exception, message, beforeSend drop, session and client report", async () => {
    const run = await runClient("handled");
    expect(run.code, run.output).toBe(0);
    expect(run.statuses.length, run.output).toBeGreaterThanOrEqual(3);
    for (const s of run.statuses) expect(s.status, `${s.types}: ${run.output}`).toBeGreaterThanOrEqual(200), expect(s.status).toBeLessThan(300);
    const types = run.statuses.map((s) => s.types).join(",");
    expect(types).toContain("event");
    expect(types).toContain("session");
    expect(types).toContain("client_report");
    const rows = (await until(async () => {
      const r = await crashes();
      return r.length >= 2 ? r : null;
    }, "two crashes"))!;
    const exception = rows.find((r) => r.error_type === "TypeError")!;
    expect(exception).toMatchObject({ severity: "error", release: "node-app@1.0.0", environment: "proof", platform: "node" });
    expect(exception.message).toContain("Cannot read properties of undefined");
    expect(exception.frames.slice(0, 2).map((f: { function: string; inApp: boolean }) => [f.function, f.inApp])).toEqual([
      ["parseOrder", true],
      ["checkout", true],
    ]);
    expect(rows.find((r) => r.error_type === "Message")).toMatchObject({ message: "node message from proof", severity: "warning" });
    expect(rows.some((r) => r.message.includes("drop me"))).toBe(false);
    const metrics = await t.runtime.deps.metrics.registry.getSingleMetricAsString("analytics_sentry_items_total");
    expect(metrics).toMatch(/type="client_report",outcome="discarded"\} [1-9]/);
  });

  test("uncaught error: lands as fatal and unhandled", async () => {
    const run = await runClient("uncaught");
    expect(run.code).not.toBe(0); // the SDK exits the process like Node would
    expect(run.statuses.length).toBeGreaterThanOrEqual(1);
    for (const s of run.statuses) expect(s.status, `${s.types}: ${run.output}`).toBe(200);
    const row = (await until(async () => (await crashes()).find((r) => r.context?.mechanism?.handled === false && r.error_type === "TypeError"), "the uncaught crash"))!;
    expect(row.severity).toBe("fatal");
    expect(row.frames[0].function).toBe("parseOrder");
  });

  test("unhandled rejection lands", async () => {
    const run = await runClient("rejection");
    for (const s of run.statuses) expect(s.status, `${s.types}: ${run.output}`).toBe(200);
    const row = (await until(async () => (await crashes()).find((r) => r.error_type === "RangeError"), "the rejection crash"))!;
    expect(row).toMatchObject({ message: "rejected promise from proof", severity: "error" });
    expect(row.context.mechanism.handled).toBe(false);
  });

  test("release health from the SDK's sessions, and nothing never-stored anywhere", async () => {
    const rh = await until(async () => {
      const r = await t.sql`select sum(started)::int as started, sum(errored)::int as errored, sum(crashed)::int as crashed from release_health where release = 'node-app@1.0.0'`;
      return r[0]?.started >= 3 && r[0]?.crashed >= 2 ? r[0] : null;
    }, "three sessions, two crashed");
    // One session per process; the SDK marks a session crashed on an unhandled error or
    // rejection; every session saw an error, and each is counted once however many updates it sent.
    expect(rh).toEqual({ started: 3, errored: 3, crashed: 2 });
    const dump = await dumpAllTables(t.sql);
    for (const marker of [
      "user-8842",
      "dana@example.com",
      "dana_k",
      "198.51.100.23",
      "prod-db-host-7",
      "FRAME-VAR-MARKER",
      "sentry.javascript.node",
      "pre_context",
      "context_line",
      '"modules"',
      "server_name",
      "ip_address",
    ]) {
      expect(dump).not.toContain(marker);
    }
  });
});
