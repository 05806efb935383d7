import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/*
 * One load generator for both servers: `wrk` when it is installed (Debian package), else a Bun
 * generator with keep-alive connections. Same payload, headers, connections and duration.
 */

/** The n-th of the generator's client addresses (10.0.0.0/8). */
export function clientAddress(n: number): string {
  return `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export interface LoadOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  durationSec: number;
  tool: LoadTool;
  /**
   * Distinct client addresses, sent round-robin in X-Forwarded-For (the app trusts it, as behind
   * a reverse proxy): real traffic comes from many visitors, and one address at full speed would
   * only measure the per-client rate limit. 0 sends no such header.
   */
  clients: number;
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

/** Lua for wrk: POST body + headers, a status count per thread, and a JSON summary in `done`. */
function wrkScript(o: LoadOptions): string {
  const long = (s: string) => `[==[${s}]==]`;
  const headers = Object.entries(o.headers).map(([k, v]) => `wrk.headers[ ${long(k)} ] = ${long(v)}`).join("\n");
  return `
wrk.method = "POST"
wrk.body = ${long(o.body)}
${headers}
local clients = ${o.clients}
local threads = {}
function setup(thread)
  thread:set("first", #threads * 7919)
  table.insert(threads, thread)
end
function init(args)
  statuses = {}
  counter = first
end
if clients > 0 then
  function request()
    counter = counter + 1
    local n = counter % clients
    wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
    return wrk.format()
  end
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
  const script = join(dir, "post.lua");
  writeFileSync(script, wrkScript(o));
  try {
    const threads = Math.max(1, Math.min(2, o.connections));
    const proc = Bun.spawn(
      ["wrk", `-t${threads}`, `-c${o.connections}`, `-d${Math.max(1, Math.round(o.durationSec))}s`, "--timeout", "5s", "-s", script, o.url],
      { stdout: "pipe", stderr: "pipe" },
    );
    const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    const line = out.split("\n").find((l) => l.startsWith("BENCH_JSON "));
    if (!line) throw new Error(`wrk produced no summary (exit ${proc.exitCode}): ${err || out}`);
    const r = JSON.parse(line.slice("BENCH_JSON ".length)) as {
      requests: number; duration_us: number; p50: number; p90: number; p99: number; max: number;
      connect: number; read: number; write: number; timeout: number; statuses: Record<string, number>;
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
  const init = () => ({ method: "POST", body: o.body, headers: o.clients > 0 ? { ...o.headers, "x-forwarded-for": clientAddress(sent++ % o.clients) } : o.headers });
  const started = performance.now();
  const deadline = started + o.durationSec * 1000;

  async function connection() {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const res = await fetch(o.url, init());
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
