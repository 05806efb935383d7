/**
 * `bun run bench/metrics-flood.ts [--duration 10] [--connections 50] [--path /metrics]`
 *
 * Can a /metrics flood deny ingest? Starts the app (embedded PostgreSQL, loopback only), then
 * sends page views one after another and times each: first with nothing else going on, then
 * while another process keeps `--connections` scrapes of /metrics in flight. Prints p50/p99/max
 * of both phases and how many scrapes were answered. Bounded: each phase lasts `--duration` s.
 * `--path /no-such-page` floods a cheap 404 instead: the part of the latency any request flood
 * costs, whatever it asks for.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { freePort, killAllChildren, startApp } from "./app-process.ts";

const { values: flags } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    path: { type: "string", default: "/metrics" },
    flood: { type: "string" }, // internal: run as the flooding child against this URL
  },
});
const durationMs = Number(flags.duration) * 1000;
const connections = Math.round(Number(flags.connections));
if (!(durationMs > 0 && connections > 0)) throw new Error("--duration and --connections must be positive numbers");

if (flags.flood) {
  // The flooding child: `connections` loops of GET `--path` until the deadline; prints the count.
  const until = Date.now() + durationMs;
  let scrapes = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until) {
        const res = await fetch(`${flags.flood}${flags.path}`);
        await res.arrayBuffer();
        scrapes++;
      }
    }),
  );
  console.log(JSON.stringify({ scrapes }));
  process.exit(0);
}

const CHROME_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

async function timePageviews(url: string, ms: number): Promise<number[]> {
  const times: number[] = [];
  const until = Date.now() + ms;
  for (let i = 0; Date.now() < until; i++) {
    const t0 = performance.now();
    const res = await fetch(`${url}/api/pageview`, {
      method: "POST",
      headers: { "content-type": "text/plain", "user-agent": CHROME_UA, origin: "https://example.com" },
      body: JSON.stringify({ pathname: `/flood/${i}` }),
    });
    await res.arrayBuffer();
    if (res.status !== 202) throw new Error(`page view answered ${res.status}`);
    times.push(performance.now() - t0);
    await Bun.sleep(10); // a steady trickle, not a load test of its own
  }
  return times;
}

function summary(times: number[]) {
  const s = [...times].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { n: s.length, p50Ms: +at(0.5).toFixed(2), p99Ms: +at(0.99).toFixed(2), maxMs: +s[s.length - 1]!.toFixed(2) };
}

const dataDir = mkdtempSync(join(tmpdir(), "analytics-metrics-flood-"));
try {
  const app = await startApp({ port: await freePort(), pgPort: await freePort(), dataDir, env: { RATE_LIMIT_RPS: "0" } });
  const url = `http://127.0.0.1:${app.port}`;
  await timePageviews(url, 1000); // warm-up: schema, prepared statements, JIT
  const quiet = summary(await timePageviews(url, durationMs));
  const flood = Bun.spawn(
    [process.execPath, import.meta.path, "--flood", url, "--duration", String(durationMs / 1000), "--connections", String(connections), "--path", flags.path!],
    { stdout: "pipe", stderr: "inherit" },
  );
  const flooded = summary(await timePageviews(url, durationMs));
  const { scrapes } = JSON.parse(await new Response(flood.stdout).text()) as { scrapes: number };
  await flood.exited;
  await app.stop();
  console.log(
    JSON.stringify({ path: flags.path, connections, durationSec: durationMs / 1000, quiet, flooded, floodRequestsPerSec: Math.round(scrapes / (durationMs / 1000)) }, null, 2),
  );
} catch (err) {
  killAllChildren();
  throw err;
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
