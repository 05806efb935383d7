import { ConfigError, parseConfig, type Config } from "../config.ts";
import { createLogger, type Logger } from "../log.ts";
import { applyInvocations, localStreamArgs, MISSING_CLI_MESSAGE, runFlowcore } from "./flowcore-cli.ts";
import { openDatabase } from "../db/open.ts";
import { progressBar } from "./progress-bar.ts";
import { CONTRACTS } from "../pathways/registry.ts";
import { backfill, follow, PROJECTION_TABLES, truncateProjections, type ReplayTotals } from "./replay-log.ts";

/**
 * `bun flowcore:apply | flowcore:stream | flowcore:backfill`. In Flowcore mode stream and backfill
 * run `flowcore scenario local`, which delivers Flowcore's events to this server's
 * /api/transformer; in embedded mode they work on the local event log directly.
 */
export const USAGE = `Usage: bun run src/cli/flowcore.ts <apply|stream|backfill> [options] [-- <extra flowcore CLI flags>]

  apply      apply flowcore.yaml and flowcore.local.yaml with the Flowcore CLI: the data core, then the scenario
  stream     deliver new events as they arrive
               Flowcore mode: flowcore scenario local -s now, delivering to <server>/api/transformer
               embedded mode: follow the local event log into the projection tables
  backfill   replay every event from the first
               Flowcore mode: flowcore scenario local over the full time range
               embedded mode: replay the local event log (progress bar, final count)

Options:
  --rebuild       backfill: empty ${PROJECTION_TABLES.join(", ")} first (one transaction),
                  then rebuild them from the event log (triage is an event too, so it comes back)
  --yes, -y       --rebuild without asking (required when stdin is not a terminal)
  --server <url>  Flowcore mode: where this API listens (default http://127.0.0.1:$PORT)
  -h, --help      show this help`;

export interface CliArgs {
  command: "apply" | "stream" | "backfill" | null;
  rebuild: boolean;
  /** --yes: --rebuild may erase without asking. */
  yes: boolean;
  server: string | null;
  help: boolean;
  /** Everything after `--`, passed on to the Flowcore CLI. */
  extra: string[];
}

/** Returns the parsed arguments, or a message saying what is wrong. */
export function parseCliArgs(argv: string[]): CliArgs | string {
  const dash = argv.indexOf("--");
  const own = dash === -1 ? argv : argv.slice(0, dash);
  const args: CliArgs = { command: null, rebuild: false, yes: false, server: null, help: false, extra: dash === -1 ? [] : argv.slice(dash + 1) };
  for (let i = 0; i < own.length; i++) {
    const a = own[i]!;
    if (a === "--rebuild") args.rebuild = true;
    else if (a === "--yes" || a === "-y") args.yes = true;
    else if (a === "-h" || a === "--help") args.help = true;
    else if (a === "--server" || a.startsWith("--server=")) {
      args.server = a.includes("=") ? a.slice(a.indexOf("=") + 1) : (own[++i] ?? "");
      if (!/^https?:\/\/\S+$/.test(args.server)) return `--server needs an http(s) URL, got "${args.server}"`;
    } else if (!args.command && (a === "apply" || a === "stream" || a === "backfill")) args.command = a;
    else return `unknown argument "${a}"`;
  }
  if (args.rebuild && args.command !== "backfill") return "--rebuild only applies to backfill";
  return args;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const describeRows = (t: ReplayTotals) =>
  `new rows: ${CONTRACTS.map((c) => plural(t.written[c.label] ?? 0, c.noun[0], c.noun[1])).join(", ")}` +
  (t.rejected ? `; ${plural(t.rejected, "event", "events")} no handler accepts skipped` : "");

/**
 * Says what --rebuild erases and asks for confirmation: on a terminal a typed "yes", elsewhere
 * (scripts, CI, pipes) the --yes flag, so nothing is erased by accident.
 */
export async function confirmRebuild(yes: boolean, io: { isTTY: boolean; ask(question: string): Promise<string | null>; say(line: string): void }): Promise<boolean> {
  io.say(`--rebuild erases every row of ${PROJECTION_TABLES.join(", ")} and rebuilds them from the event log.`);
  if (yes) return true;
  if (!io.isTTY) {
    io.say("Refusing to erase without confirmation: stdin is not a terminal. Run again with --yes.");
    return false;
  }
  const answer = await io.ask('Type "yes" to continue: ');
  return answer?.trim().toLowerCase() === "yes";
}

const terminal = {
  isTTY: Boolean(process.stdin.isTTY),
  ask: async (question: string) => prompt(question),
  say: (line: string) => console.error(line),
};

async function flowcoreMode(config: Config, args: CliArgs, log: Logger): Promise<number> {
  if (args.command === "backfill" && args.rebuild) {
    // Check for the CLI first, so a missing CLI never leaves emptied tables behind.
    if (!Bun.which("flowcore")) return (console.error(MISSING_CLI_MESSAGE), 127);
    const db = await openDatabase(config, { log, role: "cli" });
    try {
      if (await truncateProjections(db.database.sql, db.migrator.ready)) console.log(`Emptied ${PROJECTION_TABLES.join(", ")}.`);
    } finally {
      await db.close();
    }
  }
  const server = args.server ?? `http://127.0.0.1:${config.port}`;
  const from = args.command === "stream" ? "now" : "beginning";
  return runFlowcore(localStreamArgs({ server, secret: config.transformerSecret!, from, extra: args.extra }));
}

async function embeddedBackfill(config: Config, rebuild: boolean, log: Logger): Promise<number> {
  const db = await openDatabase(config, { log, role: "cli" });
  try {
    const bar = progressBar("Backfill");
    const t0 = performance.now();
    if (rebuild) console.log(`Rebuilding: emptying ${PROJECTION_TABLES.join(", ")}, then replaying the event log.`);
    const totals = await backfill({ sql: db.database.sql, projector: db.projector, schemaReady: db.migrator.ready, rebuild, onProgress: (d, t) => bar.update(d, t) });
    bar.finish();
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(`Backfill complete: replayed ${plural(totals.events, "event", "events")} from the local event log in ${seconds} s (${describeRows(totals)}).`);
    return 0;
  } finally {
    await db.close();
  }
}

async function embeddedStream(config: Config, log: Logger): Promise<number> {
  const db = await openDatabase(config, { log, role: "cli" });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const totals = await follow({
      sql: db.database.sql,
      projector: db.projector,
      schemaReady: db.migrator.ready,
      signal: stop.signal,
      onStart: () => console.log("Streaming new events from the local event log into the projection tables (Ctrl-C to stop)."),
      onBatch: (t) => console.log(`Streamed ${plural(t.events, "event", "events")} so far (${describeRows(t)}).`),
    });
    console.log(`Stopped after ${plural(totals.events, "event", "events")}.`);
    return 0;
  } finally {
    await db.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const args = parseCliArgs(argv);
  if (typeof args === "string") return (console.error(`${args}\n\n${USAGE}`), 2);
  if (args.help || !args.command) return (console.log(USAGE), args.help ? 0 : 2);
  let config: Config;
  try {
    config = parseConfig();
  } catch (err) {
    if (err instanceof ConfigError) return (console.error(err.message), 1);
    throw err;
  }
  // Internals only log problems; the command itself talks in plain lines.
  const log = createLogger(config.logLevel === "debug" ? "debug" : "warn", (line) => process.stderr.write(line + "\n"));
  if (args.command === "apply") {
    for (const invocation of applyInvocations(args.extra)) {
      const code = await runFlowcore(invocation);
      if (code !== 0) return code;
    }
    return 0;
  }
  if (args.rebuild && !(await confirmRebuild(args.yes, terminal))) return 1;
  if (config.flowcore) return flowcoreMode(config, args, log);
  return args.command === "stream" ? embeddedStream(config, log) : embeddedBackfill(config, args.rebuild, log);
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`flowcore ${process.argv[2] ?? ""} failed: ${err.message}`);
      process.exit(1);
    },
  );
}
