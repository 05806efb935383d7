import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CountCheck } from "./count-check.ts";
import type { LoadResult } from "./load.ts";
import type { ProjectionResult } from "./projection.ts";

/** Everything one `bun run bench` measured; written as bench/results/latest.{json,md}. */
export interface BenchResults {
  generatedAt: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; os: string; kernel: string; bun: string; loadTool: string };
  settings: { durationSec: number; connections: number; projectionEvents: number; clients: number; payload: string; userAgent: string };
  bare: LoadResult & { rssPeakMb: number };
  app: LoadResult & { rssPeakMb: number; rssHwmMb: number; postgresPssPeakMb: number; startupColdMs: number; startupWarmMs: number };
  ratios: { rps: number; p50: number; p99: number; projection: number };
  countCheck: CountCheck;
  projection: ProjectionResult;
  snippet: { bytes: number; gzipBytes: number };
  targets: { name: string; target: string; actual: string; met: boolean }[];
}

const f = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (n: number) => (n < 10 ? f(n, 2) : f(n, 1));

export function targetsFor(r: Omit<BenchResults, "targets">): BenchResults["targets"] {
  return [
    { name: "ingest throughput", target: "≥ 0.5 × bare", actual: `${f(r.ratios.rps, 2)} ×`, met: r.ratios.rps >= 0.5 },
    { name: "ingest p99 latency", target: `≤ 20 ms at ${r.settings.connections} connections`, actual: `${ms(r.app.latencyMs.p99)} ms`, met: r.app.latencyMs.p99 <= 20 },
    { name: "ingest errors", target: "0", actual: f(r.app.errors), met: r.app.errors === 0 },
    { name: "every 202 → exactly one row", target: "rows = 202s", actual: r.countCheck.message, met: r.countCheck.passed },
    { name: "projection exactly once", target: "rows = events", actual: `${f(r.projection.rows)} rows for ${f(r.projection.events)} events`, met: r.projection.rows === r.projection.events },
    { name: "projection throughput", target: "≥ 20,000 events/s", actual: `${f(r.projection.eventsPerSec)} events/s`, met: r.projection.eventsPerSec >= 20_000 },
    { name: "projection vs raw INSERT", target: "≥ 0.5 ×", actual: `${f(r.ratios.projection, 2)} ×`, met: r.ratios.projection >= 0.5 },
    { name: "app peak RSS under load", target: "≤ 200 MB", actual: `${f(r.app.rssPeakMb)} MB`, met: r.app.rssPeakMb <= 200 },
  ];
}

export function toMarkdown(r: BenchResults): string {
  const { bare, app, projection: p } = r;
  const lines = [
    `Measured ${r.generatedAt.slice(0, 16).replace("T", " ")} UTC with \`${r.command}\` on ${r.machine.cpus} cores (${r.machine.cpuModel}), ${f(r.machine.memoryGb)} GB RAM, ${r.machine.os}, Bun ${r.machine.bun}; load generator: ${r.machine.loadTool}, ${r.settings.connections} connections, ${r.settings.durationSec} s each, one after the other.`,
    "",
    "| Ingest (`POST /api/pageview`) | bare Bun server | app (embedded Postgres) | app ÷ bare |",
    "| --- | ---: | ---: | ---: |",
    `| requests/s | ${f(bare.rps)} | ${f(app.rps)} | **${f(r.ratios.rps, 2)}** |`,
    `| p50 latency | ${ms(bare.latencyMs.p50)} ms | ${ms(app.latencyMs.p50)} ms | ${f(r.ratios.p50, 1)} |`,
    `| p99 latency | ${ms(bare.latencyMs.p99)} ms | ${ms(app.latencyMs.p99)} ms | ${f(r.ratios.p99, 1)} |`,
    `| errors | ${f(bare.errors)} | ${f(app.errors)} | |`,
    `| peak RSS | ${f(bare.rssPeakMb)} MB | ${f(app.rssPeakMb)} MB (+ Postgres ${f(app.postgresPssPeakMb)} MB PSS) | |`,
    "",
    "| Projection (event log → `pageviews`) | value |",
    "| --- | ---: |",
    `| delivery loop | ${f(p.eventsPerSec)} events/s (${f(p.events)} events, batches of ${f(p.batchSize)}, best of ${p.rounds}) |`,
    `| raw multi-row \`INSERT\` of the same rows | ${f(p.rawInsertPerSec)} rows/s (best of ${p.rounds}) |`,
    `| delivery ÷ raw INSERT | **${f(r.ratios.projection, 2)}** |`,
    "",
    "| Other | value |",
    "| --- | ---: |",
    `| every 202 became exactly one row | ${r.countCheck.passed ? "yes" : "**NO**"} (${r.countCheck.message}) |`,
    `| projections caught up after the load | ${f(r.countCheck.catchUpMs)} ms |`,
    `| app start-up to healthy, empty data dir (initdb) | ${f(app.startupColdMs)} ms |`,
    `| app start-up to healthy, warm data dir | ${f(app.startupWarmMs)} ms |`,
    `| snippet size | ${f(r.snippet.gzipBytes)} bytes gzipped (${f(r.snippet.bytes)} raw) |`,
    "",
    "| Target | wanted | measured | met |",
    "| --- | --- | --- | :---: |",
    ...r.targets.map((t) => `| ${t.name} | ${t.target} | ${t.actual} | ${t.met ? "✓" : "✗"} |`),
  ];
  return lines.join("\n") + "\n";
}

export function writeResults(dir: string, r: BenchResults): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, "latest.json");
  const md = join(dir, "latest.md");
  writeFileSync(json, JSON.stringify(r, null, 2) + "\n");
  writeFileSync(md, `# Benchmark results\n\n${toMarkdown(r)}`);
  return { json, md };
}
