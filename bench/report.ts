import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CountCheck } from "./count-check.ts";
import type { LoadResult } from "./load.ts";
import type { ProfileEntry } from "./profile.ts";
import type { ProjectionResult } from "./projection.ts";

/** Everything one `bun run bench` measured; written as bench/results/latest.{json,md}. */
export interface BenchResults {
  generatedAt: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; os: string; kernel: string; bun: string; loadTool: string; loadAverage: number[] };
  settings: { durationSec: number; connections: number; projectionEvents: number; traffic: TrafficSummary };
  bare: LoadResult & { rssPeakMb: number };
  durable: LoadResult & { rssPeakMb: number };
  app: LoadResult & { rssPeakMb: number; rssHwmMb: number; postgresPssPeakMb: number; startupColdMs: number; startupWarmMs: number };
  /** app ÷ bare (rps, p50, p99), app ÷ durable (rpsVsDurable, p99VsDurable), projection ÷ raw INSERT. */
  ratios: { rps: number; p50: number; p99: number; rpsVsDurable: number; p99VsDurable: number; durableVsBare: number; projection: number };
  countCheck: CountCheck;
  projection: ProjectionResult;
  snippet: { bytes: number; gzipBytes: number };
  /** The app's CPU profile under load (`--profile`), top functions by self time. */
  profile: { samples: number; idlePct: number; top: ProfileEntry[] } | null;
  /** An earlier run to compare with (`--before file.json`), e.g. the code before an optimisation. */
  before?: Omit<BenchResults, "before"> & { label: string };
  targets: { name: string; target: string; actual: string; met: boolean }[];
}

export interface TrafficSummary {
  userAgents: number;
  bots: number;
  visitors: number;
  paths: number;
  mix: string;
}

const f = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (n: number) => (n < 10 ? f(n, 2) : f(n, 1));

export function targetsFor(r: Omit<BenchResults, "targets">): BenchResults["targets"] {
  const c = r.countCheck;
  return [
    { name: "ingest throughput vs durable minimum", target: "≥ 0.8 × durable", actual: `${f(r.ratios.rpsVsDurable, 2)} ×`, met: r.ratios.rpsVsDurable >= 0.8 },
    { name: "ingest throughput vs bare", target: "≥ 0.4 × bare", actual: `${f(r.ratios.rps, 2)} ×`, met: r.ratios.rps >= 0.4 },
    { name: "ingest p99 latency", target: `≤ 20 ms at ${r.settings.connections} connections`, actual: `${ms(r.app.latencyMs.p99)} ms`, met: r.app.latencyMs.p99 <= 20 },
    { name: "ingest errors", target: "0", actual: f(r.app.errors), met: r.app.errors === 0 },
    { name: "every 202 → exactly one row", target: "rows = 202s", actual: c.message, met: c.passed },
    {
      name: "projection caught up after the load",
      target: "≤ 2,000 ms (lag < 1 s)",
      actual: `${f(c.catchUpMs)} ms (lag ${f(c.lagSeconds, 2)} s)`,
      met: c.catchUpMs <= 2000 && c.lagSeconds < 1,
    },
    {
      name: "projection exactly once",
      target: "rows = events",
      actual: `${f(r.projection.rows)} rows for ${f(r.projection.events)} events`,
      met: r.projection.rows === r.projection.events,
    },
    { name: "projection throughput", target: "≥ 20,000 events/s", actual: `${f(r.projection.eventsPerSec)} events/s`, met: r.projection.eventsPerSec >= 20_000 },
    { name: "projection vs raw INSERT", target: "≥ 0.5 ×", actual: `${f(r.ratios.projection, 2)} ×`, met: r.ratios.projection >= 0.5 },
    { name: "app peak RSS under load", target: "≤ 200 MB", actual: `${f(r.app.rssPeakMb)} MB`, met: r.app.rssPeakMb <= 200 },
  ];
}

export function toMarkdown(r: BenchResults): string {
  const { bare, durable, app, projection: p, settings: s } = r;
  const t = s.traffic;
  const lines = [
    `Measured ${r.generatedAt.slice(0, 16).replace("T", " ")} UTC with \`${r.command}\` on ${r.machine.cpus} cores (${r.machine.cpuModel}), ${f(r.machine.memoryGb)} GB RAM, ${r.machine.os}, Bun ${r.machine.bun}; load average ${r.machine.loadAverage.map((x) => f(x, 1)).join(" / ")} (1/5/15 min) when the run started; load generator: ${r.machine.loadTool}, ${s.connections} connections, ${s.durationSec} s per server, one after the other.`,
    "",
    `Traffic (same for every server): ${f(t.userAgents)} distinct user agents (${t.bots} of them crawlers and scripts, ~3 % of visitors), ${f(t.visitors)} client addresses (X-Forwarded-For, TRUST_PROXY=1), ${t.paths} paths drawn Zipf-like, ${t.mix}.`,
    "",
    "| Ingest | bare Bun server | durable minimum | app (embedded Postgres) | app ÷ bare | app ÷ durable |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    `| requests/s | ${f(bare.rps)} | ${f(durable.rps)} | ${f(app.rps)} | **${f(r.ratios.rps, 2)}** | **${f(r.ratios.rpsVsDurable, 2)}** |`,
    `| p50 latency | ${ms(bare.latencyMs.p50)} ms | ${ms(durable.latencyMs.p50)} ms | ${ms(app.latencyMs.p50)} ms | ${f(r.ratios.p50, 1)} | |`,
    `| p99 latency | ${ms(bare.latencyMs.p99)} ms | ${ms(durable.latencyMs.p99)} ms | ${ms(app.latencyMs.p99)} ms | ${f(r.ratios.p99, 1)} | ${f(r.ratios.p99VsDurable, 1)} |`,
    `| errors | ${f(bare.errors)} | ${f(durable.errors)} | ${f(app.errors)} | | |`,
    `| peak RSS | ${f(bare.rssPeakMb)} MB | ${f(durable.rssPeakMb)} MB | ${f(app.rssPeakMb)} MB (+ Postgres ${f(app.postgresPssPeakMb)} MB PSS) | | |`,
    "",
    "The durable minimum parses the JSON, group-commits the raw bodies into the same PostgreSQL and answers 202 after the commit (bench/durable-server.ts): the physical limit of our promise here. " +
      `Durable ÷ bare: ${f(r.ratios.durableVsBare, 2)}.`,
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
    `| crawlers dropped as bots (200, not stored) | ${f(r.countCheck.droppedBots)} |`,
    `| 202s not yet projected when the load ended | ${f(r.countCheck.backlogAtEnd)} |`,
    `| projections caught up after the load | ${f(r.countCheck.catchUpMs)} ms (lag then ${f(r.countCheck.lagSeconds, 2)} s) |`,
    `| app start-up to healthy, empty data dir (initdb) | ${f(app.startupColdMs)} ms |`,
    `| app start-up to healthy, warm data dir | ${f(app.startupWarmMs)} ms |`,
    `| snippet size | ${f(r.snippet.gzipBytes)} bytes gzipped (${f(r.snippet.bytes)} raw) |`,
    "",
    "| Target | wanted | measured | met |",
    "| --- | --- | --- | :---: |",
    ...r.targets.map((x) => `| ${x.name} | ${x.target} | ${x.actual} | ${x.met ? "✓" : "✗"} |`),
  ];
  if (r.profile) {
    lines.push(
      "",
      `App CPU profile during its load only (\`--profile\`; ${f(r.profile.samples)} samples, ${f(r.profile.idlePct, 1)} % idle), top functions by self time:`,
      "",
      "| self % | function | where |",
      "| ---: | --- | --- |",
      ...r.profile.top.map((e) => `| ${f(e.selfPct, 1)} | ${e.function} | ${e.location} |`),
    );
  }
  if (r.before) lines.push("", ...comparison(r, r.before));
  return lines.join("\n") + "\n";
}

function comparison(now: BenchResults, b: NonNullable<BenchResults["before"]>): string[] {
  const row = (name: string, x: (r: Omit<BenchResults, "before">) => string) => `| ${name} | ${x(b)} | ${x(now)} |`;
  const lines = [
    `## Before and after: ${b.label}`,
    "",
    `Before: measured ${b.generatedAt.slice(0, 16).replace("T", " ")} UTC, load average ${b.machine.loadAverage.map((x) => f(x, 1)).join(" / ")}, same bench and traffic. Compare the ratios: the absolute figures follow the machine's load.`,
    "",
    "| | before | after |",
    "| --- | ---: | ---: |",
    row("bare requests/s", (r) => f(r.bare.rps)),
    row("durable minimum requests/s", (r) => f(r.durable.rps)),
    row("app requests/s", (r) => f(r.app.rps)),
    row("app ÷ durable", (r) => `**${f(r.ratios.rpsVsDurable, 2)}**`),
    row("app ÷ bare", (r) => f(r.ratios.rps, 2)),
    row("app p99", (r) => `${ms(r.app.latencyMs.p99)} ms`),
    row("durable p99", (r) => `${ms(r.durable.latencyMs.p99)} ms`),
    row("projection events/s (÷ raw INSERT)", (r) => `${f(r.projection.eventsPerSec)} (${f(r.ratios.projection, 2)})`),
    row("caught up after the load", (r) => `${f(r.countCheck.catchUpMs)} ms`),
  ];
  if (b.profile) {
    lines.push(
      "",
      "Profile before (app during its load, top functions by self time):",
      "",
      "| self % | function | where |",
      "| ---: | --- | --- |",
      ...b.profile.top.map((e) => `| ${f(e.selfPct, 1)} | ${e.function} | ${e.location} |`),
    );
  }
  return lines;
}

export function writeResults(dir: string, r: BenchResults): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, "latest.json");
  const md = join(dir, "latest.md");
  writeFileSync(json, JSON.stringify(r, null, 2) + "\n");
  writeFileSync(md, `# Benchmark results\n\n${toMarkdown(r)}`);
  return { json, md };
}
