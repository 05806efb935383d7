/**
 * `bun run bench [--duration 10] [--connections 50] [--projection-events 50000] [--tool auto|wrk|bun] [--out bench/results]`
 *
 * One run, side by side: a bare Bun server (the ceiling for HTTP ingest here), then the app on
 * its embedded PostgreSQL under the same load; the count check (every 202 became one row);
 * projection throughput against a raw INSERT; memory, start-up times and the snippet's size.
 * The headline figures are ratios of two measurements taken moments apart on the same machine.
 * Exits 1 when the count check fails; missed performance targets are reported, not fatal.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildSnippet, sizes } from "../snippet/build.ts";
import { DELIVERY_BATCH_SIZE } from "../src/eventlog/delivery.ts";
import { freePort, killAllChildren, memoryOf, ROOT, sampleMemory, startApp, startBareServer } from "./app-process.ts";
import { checkCounts } from "./count-check.ts";
import { clientAddress, runLoad, wrkAvailable, type LoadOptions, type LoadTool } from "./load.ts";
import { benchProjection } from "./projection.ts";
import { targetsFor, toMarkdown, writeResults, type BenchResults } from "./report.ts";

const { values: flags } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    "projection-events": { type: "string", default: "50000" },
    tool: { type: "string", default: "auto" },
    out: { type: "string", default: join(ROOT, "bench", "results") },
  },
});
const durationSec = Number(flags.duration);
const connections = Math.round(Number(flags.connections));
const projectionEvents = Math.round(Number(flags["projection-events"]));
if (!(durationSec > 0 && connections > 0 && projectionEvents > 0)) throw new Error("--duration, --connections and --projection-events must be positive numbers");
if (!["auto", "wrk", "bun"].includes(flags.tool!)) throw new Error("--tool must be auto, wrk or bun");
if (flags.tool === "wrk" && !wrkAvailable()) throw new Error("--tool wrk: wrk is not installed (apt-get install -y wrk)");
const tool: LoadTool = flags.tool === "wrk" || flags.tool === "bun" ? flags.tool : wrkAvailable() ? "wrk" : "bun";

// A page view as the snippet sends it (text/plain, so browsers skip the CORS preflight), from a
// desktop Chrome that the bot filter must let through.
const USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const BODY = JSON.stringify({ pathname: "/blog/hello-world", url: "https://example.com/blog/hello-world?utm_source=newsletter", referrer: "https://www.google.com/", site: "example.com" });
const HEADERS = { "content-type": "text/plain;charset=UTF-8", "user-agent": USER_AGENT, origin: "https://example.com" };
// Visitors behind a reverse proxy (the app runs with TRUST_PROXY=true), each far below the
// per-client rate limit even at full speed: one address at full speed would only measure 429s.
const CLIENTS = 16_384;

const tmp = mkdtempSync(join(tmpdir(), "analytics-bench-"));
process.on("exit", () => {
  killAllChildren();
  rmSync(tmp, { recursive: true, force: true });
});
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => process.exit(130));
const say = (msg: string) => console.error(`[bench] ${msg}`);
const load = (port: number): LoadOptions => ({ url: `http://127.0.0.1:${port}/api/pageview`, body: BODY, headers: HEADERS, connections, durationSec, tool, clients: CLIENTS });

/** A few hundred requests first: JIT warm-up, and on the app the lazy migration. */
async function warmUp(port: number): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  let n = CLIENTS; // addresses the load itself starts with later, so no client exceeds its burst
  const one = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/pageview`, { method: "POST", body: BODY, headers: { ...HEADERS, "x-forwarded-for": clientAddress(n++) } });
    await res.arrayBuffer();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  };
  for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: 10 }, one));
  return statuses;
}

say("snippet size");
const snippet = sizes(await buildSnippet());

say(`bare Bun server: ${tool}, ${connections} connections, ${durationSec} s`);
const bareServer = await startBareServer();
await warmUp(bareServer.port);
const bareLoad = await runLoad(load(bareServer.port));
const bareRssMb = memoryOf(bareServer.pid).hwmMb;
await bareServer.stop();

say("app: start on an empty data dir");
const dataDir = join(tmp, "data");
const [port, pgPort] = [await freePort(), await freePort()];
const appEnv = { TRUST_PROXY: "true" };
let app = await startApp({ dataDir, port, pgPort, env: appEnv });
const startupColdMs = app.startupMs;
const warm = await warmUp(port);

say(`app: ${tool}, ${connections} connections, ${durationSec} s`);
const sampler = sampleMemory(app.pid, app.postgresPid);
const appLoad = await runLoad(load(port));
const loadEnded = performance.now();
const memory = sampler.stop();

say("count check: waiting for the projections to catch up");
const pgUrl = `postgres://postgres:postgres@127.0.0.1:${pgPort}`;
const accepted = (warm["202"] ?? 0) + (appLoad.statuses["202"] ?? 0);
const counts = await checkCounts({ appPort: port, dbUrl: `${pgUrl}/analytics`, accepted, loadEnded, maxUnread: tool === "wrk" ? connections : 0 });

say(`projection: ${projectionEvents} events`);
const projection = await benchProjection(`${pgUrl}/postgres`, projectionEvents, DELIVERY_BATCH_SIZE);
const appHwmMb = memoryOf(app.pid).hwmMb;
await app.stop();

say("app: start on the warm data dir");
app = await startApp({ dataDir, port, pgPort, env: appEnv });
const startupWarmMs = app.startupMs;
await app.stop();

const cpu = cpus();
const osName = /^PRETTY_NAME="?([^"\n]*)/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? "Linux";
const partial: Omit<BenchResults, "targets"> = {
  generatedAt: new Date().toISOString(),
  command: ["bun run bench", ...process.argv.slice(2)].join(" "),
  machine: { cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? "unknown", memoryGb: totalmem() / 2 ** 30, os: osName, kernel: release(), bun: Bun.version, loadTool: tool },
  settings: { durationSec, connections, projectionEvents, clients: CLIENTS, payload: BODY, userAgent: USER_AGENT },
  bare: { ...bareLoad, rssPeakMb: bareRssMb },
  app: { ...appLoad, rssPeakMb: memory.appRssMb, rssHwmMb: appHwmMb, postgresPssPeakMb: memory.postgresPssMb, startupColdMs, startupWarmMs },
  ratios: {
    rps: appLoad.rps / bareLoad.rps,
    p50: appLoad.latencyMs.p50 / bareLoad.latencyMs.p50,
    p99: appLoad.latencyMs.p99 / bareLoad.latencyMs.p99,
    projection: projection.eventsPerSec / projection.rawInsertPerSec,
  },
  countCheck: counts,
  projection,
  snippet,
};
const results: BenchResults = { ...partial, targets: targetsFor(partial) };
const files = writeResults(flags.out!, results);
console.log(toMarkdown(results));
say(`wrote ${files.md} and ${files.json}`);
process.exit(results.countCheck.passed && projection.rows === projection.events ? 0 : 1);
