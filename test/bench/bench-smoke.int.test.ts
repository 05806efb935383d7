import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// `bun run bench` end to end, for about a second per load with a few connections: it must write
// its results with every key the README table and dashboards read, and its count check (every 202
// became exactly one row) must pass. No timing is asserted: this is a smoke test, not a benchmark.
const repo = new URL("../../", import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), "bench-smoke-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

test("bun run bench writes results with the expected keys and a passing count check", async () => {
  const child = Bun.spawn([process.execPath, "run", "bench/run.ts", "--duration", "1", "--connections", "4", "--projection-events", "2000", "--out", out], {
    cwd: repo,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  if (code !== 0) console.error(stderr.slice(-3000));
  expect(code).toBe(0);
  expect(stdout).toContain("| requests/s |");
  expect(existsSync(join(out, "latest.md"))).toBe(true);

  const r = JSON.parse(readFileSync(join(out, "latest.json"), "utf8"));
  expect(Object.keys(r)).toEqual(
    expect.arrayContaining(["generatedAt", "command", "machine", "settings", "bare", "durable", "app", "ratios", "countCheck", "projection", "snippet", "targets"]),
  );
  const isNumber = (x: unknown) => typeof x === "number" && Number.isFinite(x);
  // Three servers under the same realistic traffic: the durable minimum answered every request 202.
  expect(r.settings.traffic.userAgents).toBeGreaterThanOrEqual(1000);
  expect(r.durable.errors).toBe(0);
  expect(r.durable.statuses["202"]).toBe(r.durable.requests);
  for (const side of [r.bare, r.durable, r.app]) {
    for (const v of [side.rps, side.errors, side.latencyMs.p50, side.latencyMs.p99]) expect(isNumber(v)).toBe(true);
    expect(side.rps > 0).toBe(true);
  }
  for (const v of [
    r.app.rssPeakMb,
    r.app.postgresPssPeakMb,
    r.app.startupColdMs,
    r.app.startupWarmMs,
    r.ratios.rps,
    r.ratios.rpsVsDurable,
    r.ratios.p50,
    r.ratios.p99,
    r.ratios.projection,
    r.countCheck.catchUpMs,
  ])
    expect(isNumber(v)).toBe(true);
  expect(r.countCheck.passed).toBe(true);
  expect(r.countCheck.rows).toBe(r.countCheck.serverAccepted);
  expect(r.countCheck.rows > 0).toBe(true);
  expect(r.countCheck.droppedOther).toBe(0); // the traffic's crawlers are dropped as bots, nothing else
  expect(r.countCheck.droppedBots).toBeGreaterThan(0);
  expect(r.projection.events).toBe(2000);
  expect(r.projection.rows).toBe(2000);
  expect(isNumber(r.projection.eventsPerSec) && isNumber(r.projection.rawInsertPerSec)).toBe(true);
  expect(r.snippet.gzipBytes > 0).toBe(true);
  expect(r.targets.length > 0).toBe(true);
}, 120_000);
