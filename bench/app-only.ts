/**
 * `bun run bench/app-only.ts [--duration 5] [--profile dir]`: the app alone under the bench's
 * traffic, for quick before/after comparisons while optimising (the full comparison with both
 * baselines is `bun run bench`).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { freePort, killAllChildren, memoryOf, startApp } from "./app-process.ts";
import { checkCounts } from "./count-check.ts";
import { runLoad } from "./load.ts";
import { buildTraffic, requestAt } from "./traffic.ts";

const { values: flags } = parseArgs({
  options: {
    duration: { type: "string", default: "5" },
    connections: { type: "string", default: "50" },
    profile: { type: "string" },
    env: { type: "string", multiple: true, default: [] },
  },
});
const traffic = buildTraffic();
const tmp = mkdtempSync(join(tmpdir(), "analytics-app-only-"));
process.on("exit", () => {
  killAllChildren();
  rmSync(tmp, { recursive: true, force: true });
});
const [port, pgPort] = [await freePort(), await freePort()];
const app = await startApp({
  dataDir: join(tmp, "data"),
  port,
  pgPort,
  env: { TRUST_PROXY: "1", ...Object.fromEntries(flags.env!.map((kv) => kv.split("=", 2) as [string, string])) },
  cpuProfDir: flags.profile,
});
let k = 0;
let warm = 0;
for (let i = 0; i < 20; i++)
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      const r = requestAt(traffic, k++);
      const res = await fetch(`http://127.0.0.1:${port}${r.path}`, { method: "POST", body: r.body, headers: r.headers });
      await res.arrayBuffer();
      if (res.status === 202) warm++;
    }),
  );
/** CPU seconds a process has used (user + system), from /proc. */
const cpuSeconds = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) / 100;
};
const cpu0 = cpuSeconds(app.pid);
const loadStarted = performance.now();
const result = await runLoad({ origin: `http://127.0.0.1:${port}`, traffic, connections: Number(flags.connections), durationSec: Number(flags.duration), tool: "wrk" });
const loadEnded = performance.now();
const appCpuUsPerRequest = Math.round(((cpuSeconds(app.pid) - cpu0) / result.requests) * 1e6);
const counts = flags.env!.includes("DELIVERY_ENABLED=0")
  ? null
  : await checkCounts({
      appPort: port,
      dbUrl: `postgres://postgres:postgres@127.0.0.1:${pgPort}/analytics`,
      accepted: warm + (result.statuses["202"] ?? 0),
      loadEnded,
      maxUnread: Number(flags.connections),
    });
console.log(
  JSON.stringify({
    rps: Math.round(result.rps),
    appCpuUsPerRequest,
    p50: result.latencyMs.p50,
    p99: result.latencyMs.p99,
    statuses: result.statuses,
    rssMb: memoryOf(app.pid).hwmMb,
    profileWindow: [loadStarted - app.spawnedAt, loadEnded - app.spawnedAt],
    counts,
  }),
);
await app.stop();
process.exit(0);
