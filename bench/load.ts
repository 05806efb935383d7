import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requestAt, STEPS, VISITORS, type Traffic } from "./traffic.ts";

/*
 * One load generator for every server: `wrk` when it is installed (Debian package), else a Bun
 * generator with keep-alive connections. Same traffic (traffic.ts), connections and duration.
 */

export interface LoadOptions {
  /** http://127.0.0.1:port */
  origin: string;
  traffic: Traffic;
  connections: number;
  durationSec: number;
  tool: LoadTool;
}
export type LoadTool = "wrk" | "bun";

export interface LoadResult {
  tool: LoadTool;
  /** Completed requests (any status). */
  requests: number;
  seconds: number;
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** Responses by HTTP status. */
  statuses: Record<string, number>;
  /** 2xx responses. */
  ok: number;
  /** Non-2xx responses plus connect/read/write errors and timeouts. */
  errors: number;
}

export function wrkAvailable(): boolean {
  return Bun.which("wrk") !== null;
}

export function runLoad(o: LoadOptions): Promise<LoadResult> {
  return o.tool === "wrk" ? wrkLoad(o) : bunLoad(o);
}

// ── wrk ─────────────────────────────────────────────────────────────────────────────────────────

const long = (s: string) => `[==[${s}]==]`;

/**
 * Lua for wrk: the traffic's tables, a request() that mirrors traffic.ts's requestAt (each thread
 * starts at its own offset), a status count per thread, and a JSON summary in `done`.
 */
function wrkScript(t: Traffic): string {
  return `
local uas = {${t.userAgents.map(long).join(",")}}
local va = {${Array.from(t.visitorAgent).join(",")}}
local steps = {${t.steps.map(([p, b]) => `{${long(p)},${long(b)}}`).join(",\n")}}
local VISITORS, STEPS = ${VISITORS}, ${STEPS}
local threads = {}
function setup(thread)
  thread:set("first", #threads * 1000003)
  table.insert(threads, thread)
end
local headers = { ["Content-Type"] = "text/plain;charset=UTF-8", ["Origin"] = "https://example.com" }
function init(args)
  statuses = {}
  counter = first
end
function request()
  local v = counter % VISITORS
  local step = steps[(counter % STEPS) + 1]
  counter = counter + 1
  headers["User-Agent"] = uas[va[v + 1] + 1]
  headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.floor(v / 65536) % 256, math.floor(v / 256) % 256, v % 256)
  return wrk.format("POST", step[1], headers, step[2])
end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local counts = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do counts[tostring(k)] = (counts[tostring(k)] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(counts) do table.insert(parts, string.format('"%s":%d', k, v)) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"timeout":%d,"statuses":{%s}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout, table.concat(parts, ",")))
end
`;
}

async function wrkLoad(o: LoadOptions): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), "bench-wrk-"));
  const script = join(dir, "traffic.lua");
  writeFileSync(script, wrkScript(o.traffic));
  try {
    const threads = Math.max(1, Math.min(2, o.connections));
    const proc = Bun.spawn(["wrk", `-t${threads}`, `-c${o.connections}`, `-d${Math.max(1, Math.round(o.durationSec))}s`, "--timeout", "5s", "-s", script, `${o.origin}/`], {
      stdout: "pipe",
      stderr: "pipe",
    });
    const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    const line = out.split("\n").find((l) => l.startsWith("BENCH_JSON "));
    if (!line) throw new Error(`wrk produced no summary (exit ${proc.exitCode}): ${err || out}`);
    const r = JSON.parse(line.slice("BENCH_JSON ".length)) as {
      requests: number;
      duration_us: number;
      p50: number;
      p90: number;
      p99: number;
      max: number;
      connect: number;
      read: number;
      write: number;
      timeout: number;
      statuses: Record<string, number>;
    };
    const ok = Object.entries(r.statuses).reduce((n, [s, c]) => n + (s.startsWith("2") ? c : 0), 0);
    const seconds = r.duration_us / 1e6;
    return {
      tool: "wrk",
      requests: r.requests,
      seconds,
      rps: r.requests / seconds,
      latencyMs: { p50: r.p50 / 1000, p90: r.p90 / 1000, p99: r.p99 / 1000, max: r.max / 1000 },
      statuses: r.statuses,
      ok,
      errors: r.requests - ok + r.connect + r.read + r.write + r.timeout,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ── Bun fallback ────────────────────────────────────────────────────────────────────────────────

/**
 * `connections` async loops, each sending its next request when the previous one has answered
 * (fetch keeps the connections alive). Requests in flight at the deadline are awaited, so every
 * response the server sent is counted.
 */
async function bunLoad(o: LoadOptions): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let n = 0;
  let failures = 0;
  const statuses: Record<string, number> = {};
  let sent = 0;
  const started = performance.now();
  const deadline = started + o.durationSec * 1000;

  async function connection() {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const r = requestAt(o.traffic, sent++);
      try {
        const res = await fetch(o.origin + r.path, { method: "POST", body: r.body, headers: r.headers });
        await res.arrayBuffer();
        if (n === latencies.length) {
          const grown = new Float64Array(n * 2);
          grown.set(latencies);
          latencies = grown;
        }
        latencies[n++] = performance.now() - t0;
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      } catch {
        failures++;
        await Bun.sleep(5); // a refused connection must not spin
      }
    }
  }
  await Promise.all(Array.from({ length: o.connections }, connection));
  const seconds = (performance.now() - started) / 1000;

  const sorted = latencies.subarray(0, n).sort();
  const pct = (p: number) => (n ? sorted[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)]! : 0);
  const ok = Object.entries(statuses).reduce((sum, [s, c]) => sum + (s.startsWith("2") ? c : 0), 0);
  return {
    tool: "bun",
    requests: n,
    seconds,
    rps: n / seconds,
    latencyMs: { p50: pct(50), p90: pct(90), p99: pct(99), max: n ? sorted[n - 1]! : 0 },
    statuses,
    ok,
    errors: n - ok + failures,
  };
}
