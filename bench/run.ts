/**
 * `bun run bench [--duration 10] [--connections 50] [--projection-events 50000] [--tool auto|wrk|bun] [--profile]
 *                [--before earlier.json --before-label "…"] [--out bench/results]`
 *
 * One run, side by side, under the same realistic traffic (traffic.ts): a bare Bun server (the
 * ceiling for HTTP ingest here), a minimal durable server (parse, group-commit the raw bodies into
 * the app's PostgreSQL, 202 after the commit: the limit of our promise), then the app on its
 * embedded PostgreSQL; the count check (every 202 became one row, the projection caught up);
 * projection throughput against a raw INSERT; memory, start-up times and the snippet's size.
 * The headline figures are ratios of measurements taken moments apart on the same machine.
 * `--profile` runs the app under Bun's CPU profiler and reports its top functions; `--before`
 * adds an earlier run's figures (its latest.json) side by side.
 * Exits 1 when the count check fails; missed performance targets are reported, not fatal.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildSnippet, sizes } from "../snippet/build.ts";
import { DELIVERY_BATCH_SIZE } from "../src/eventlog/delivery.ts";
import { freePort, killAllChildren, memoryOf, ROOT, sampleMemory, startApp, startBareServer, startDurableServer, type ChildServer } from "./app-process.ts";
import { checkCounts } from "./count-check.ts";
import { runLoad, wrkAvailable, type LoadResult, type LoadTool } from "./load.ts";
import { topOfProfile } from "./profile.ts";
import { benchProjection } from "./projection.ts";
import { targetsFor, toMarkdown, writeResults, type BenchResults } from "./report.ts";
import { buildTraffic, requestAt, STEPS, VISITORS } from "./traffic.ts";

const { values: flags } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    "projection-events": { type: "string", default: "50000" },
    tool: { type: "string", default: "auto" },
    profile: { type: "boolean", default: false },
    before: { type: "string" },
    "before-label": { type: "string", default: "the previous run" },
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
const loadAverage = loadavg().map((x) => Math.round(x * 10) / 10);

const traffic = buildTraffic();
const trafficSummary = {
  userAgents: traffic.userAgents.length,
  bots: traffic.bots,
  visitors: VISITORS,
  paths: 100,
  mix: `${Math.round((traffic.steps.filter(([p]) => p === "/api/pageview").length / STEPS) * 100)} % page views, the rest custom events`,
};

const tmp = mkdtempSync(join(tmpdir(), "analytics-bench-"));
process.on("exit", () => {
  killAllChildren();
  rmSync(tmp, { recursive: true, force: true });
});
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => process.exit(130));
const say = (msg: string) => console.error(`[bench] ${msg}`);
const load = (port: number) => runLoad({ origin: `http://127.0.0.1:${port}`, traffic, connections, durationSec, tool });

/** A few hundred requests of the same traffic first: JIT warm-up, and on the app the lazy migration. */
async function warmUp(port: number): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  let k = 0;
  const one = async () => {
    const r = requestAt(traffic, k++);
    const res = await fetch(`http://127.0.0.1:${port}${r.path}`, { method: "POST", body: r.body, headers: r.headers });
    await res.arrayBuffer();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  };
  for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: 10 }, one));
  return statuses;
}

async function baseline(name: string, server: ChildServer): Promise<LoadResult & { rssPeakMb: number }> {
  say(`${name}: ${tool}, ${connections} connections, ${durationSec} s`);
  await warmUp(server.port);
  const result = await load(server.port);
  const rssPeakMb = memoryOf(server.pid).hwmMb;
  await server.stop();
  return { ...result, rssPeakMb };
}

say("snippet size");
const snippet = sizes(await buildSnippet());

const bare = await baseline("bare Bun server", await startBareServer());

say("app: start on an empty data dir");
const dataDir = join(tmp, "data");
const profileDir = join(tmp, "profile");
if (flags.profile) mkdirSync(profileDir);
const [port, pgPort] = [await freePort(), await freePort()];
const appEnv = { TRUST_PROXY: "1" };
let app = await startApp({ dataDir, port, pgPort, env: appEnv, cpuProfDir: flags.profile ? profileDir : undefined });
const startupColdMs = app.startupMs;
const warm = await warmUp(port);
const pgUrl = `postgres://postgres:postgres@127.0.0.1:${pgPort}`;

// The durable minimum commits to the app's PostgreSQL (its own database) while the app idles.
const durable = await baseline("durable minimum", await startDurableServer(`${pgUrl}/postgres`));

say(`app: ${tool}, ${connections} connections, ${durationSec} s`);
const sampler = sampleMemory(app.pid, app.postgresPid);
const loadStarted = performance.now();
const appLoad = await load(port);
const loadEnded = performance.now();
const memory = sampler.stop();

say("count check: waiting for the projections to catch up");
const accepted = (warm["202"] ?? 0) + (appLoad.statuses["202"] ?? 0);
const counts = await checkCounts({ appPort: port, dbUrl: `${pgUrl}/analytics`, accepted, loadEnded, maxUnread: tool === "wrk" ? connections : 0 });
const appHwmMb = memoryOf(app.pid).hwmMb;
const profileWindow = { fromMs: loadStarted - app.spawnedAt, toMs: loadEnded - app.spawnedAt };
if (flags.profile) {
  await app.stop(); // the profile is written at exit
  app = await startApp({ dataDir, port, pgPort, env: appEnv });
}

say(`projection: ${projectionEvents} events`);
const projection = await benchProjection(`${pgUrl}/postgres`, projectionEvents, DELIVERY_BATCH_SIZE);
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
  machine: {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? "unknown",
    memoryGb: totalmem() / 2 ** 30,
    os: osName,
    kernel: release(),
    bun: Bun.version,
    loadTool: tool,
    loadAverage,
  },
  settings: { durationSec, connections, projectionEvents, traffic: trafficSummary },
  bare,
  durable,
  app: { ...appLoad, rssPeakMb: memory.appRssMb, rssHwmMb: appHwmMb, postgresPssPeakMb: memory.postgresPssMb, startupColdMs, startupWarmMs },
  ratios: {
    rps: appLoad.rps / bare.rps,
    p50: appLoad.latencyMs.p50 / bare.latencyMs.p50,
    p99: appLoad.latencyMs.p99 / bare.latencyMs.p99,
    rpsVsDurable: appLoad.rps / durable.rps,
    p99VsDurable: appLoad.latencyMs.p99 / durable.latencyMs.p99,
    durableVsBare: durable.rps / bare.rps,
    projection: projection.eventsPerSec / projection.rawInsertPerSec,
  },
  countCheck: counts,
  projection,
  snippet,
  profile: flags.profile ? topOfProfile(profileDir, profileWindow) : null,
};
const before = flags.before ? { ...(JSON.parse(readFileSync(flags.before, "utf8")) as BenchResults), label: flags["before-label"]! } : undefined;
if (before) delete (before as Partial<BenchResults>).before;
const results: BenchResults = { ...partial, targets: targetsFor(partial), ...(before ? { before } : {}) };
const files = writeResults(flags.out!, results);
console.log(toMarkdown(results));
say(`wrote ${files.md} and ${files.json}`);
process.exit(results.countCheck.passed && projection.rows === projection.events ? 0 : 1);
