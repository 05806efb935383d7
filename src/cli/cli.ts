import { parseArgs } from "node:util";
import type { AccountsDb } from "../accounts/db.ts";
import { ConfigError, parseConfig, type Config } from "../config.ts";
import { AppError } from "../errors.ts";
import { createLogger } from "../log.ts";
import { UsageError, type CliContext, type Noun, type Verb } from "./accounts/command.ts";
import { keyNoun } from "./accounts/key.ts";
import { projectNoun } from "./accounts/project.ts";
import { shareNoun } from "./accounts/share.ts";
import { tokenNoun } from "./accounts/token.ts";
import { userNoun } from "./accounts/user.ts";
import { webhookNoun } from "./webhook.ts";
import { openDatabase, type OpenDatabase } from "../db/open.ts";

/**
 * `bun run cli <noun> <verb> [options]`: projects, keys, users, tokens and share links, on the
 * same database as the server (DATABASE_URL or the embedded server, even while the server runs).
 * Exit codes: 0 done, 1 refused or failed (the message says why), 2 bad usage.
 */
export const NOUNS: Record<string, Noun> = {
  project: projectNoun,
  key: keyNoun,
  user: userNoun,
  token: tokenNoun,
  share: shareNoun,
  webhook: webhookNoun,
};

export function mainHelp(): string {
  const width = Math.max(...Object.keys(NOUNS).map((n) => n.length));
  const verbs = Math.max(...Object.values(NOUNS).map((n) => Object.keys(n.verbs).join("|").length));
  return [
    "Usage: bun run cli <noun> <verb> [options]",
    "",
    ...Object.entries(NOUNS).map(([n, noun]) => `  ${n.padEnd(width)}  ${Object.keys(noun.verbs).join("|").padEnd(verbs)}  ${noun.summary}`),
    "",
    "Run `bun run cli <noun> --help` or `bun run cli <noun> <verb> --help` for details.",
    "The database is DATABASE_URL, or the embedded server under DATA_DIR (see env.example).",
  ].join("\n");
}

export function nounHelp(name: string, noun: Noun): string {
  return [
    `Usage: bun run cli ${name} <verb> [options]   (${noun.summary})`,
    "",
    ...Object.entries(noun.verbs).map(([v, verb]) => `  ${name} ${v} ${verb.args}\n      ${verb.summary}`),
  ].join("\n");
}

export function verbHelp(noun: string, name: string, verb: Verb): string {
  return [`Usage: bun run cli ${noun} ${name} ${verb.args}`, "", `  ${verb.summary}`, ...(verb.help ? ["", ...verb.help] : []), "  -h, --help       show this help"].join("\n");
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  stdin(): Promise<string>;
}

const stdio: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l), stdin: () => Bun.stdin.text() };

/** Runs one command line; returns the exit code. */
export async function runCli(argv: string[], env: Record<string, string | undefined> = process.env, io: CliIo = stdio): Promise<number> {
  const [nounName, verbName, ...rest] = argv;
  const wantsHelp = (a: string | undefined) => a === "-h" || a === "--help" || a === "help";
  if (!nounName || wantsHelp(nounName)) return (io.out(mainHelp()), nounName ? 0 : 2);
  const noun = NOUNS[nounName];
  if (!noun) return (io.err(`Unknown command "${nounName}".\n\n${mainHelp()}`), 2);
  if (!verbName || wantsHelp(verbName)) return (io.out(nounHelp(nounName, noun)), verbName ? 0 : 2);
  const verb = noun.verbs[verbName];
  if (!verb) return (io.err(`Unknown command "${nounName} ${verbName}".\n\n${nounHelp(nounName, noun)}`), 2);
  if (rest.some(wantsHelp)) return (io.out(verbHelp(nounName, verbName, verb)), 0);

  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: verb.options ?? {}, allowPositionals: true, strict: true });
    const { min, max } = verb.positionals ?? { min: 0, max: 0 };
    if (parsed.positionals.length < min) throw new UsageError(`missing argument: ${verb.args.split(" ")[0]}`);
    if (parsed.positionals.length > max) throw new UsageError(`unexpected argument "${parsed.positionals[max]}"`);
  } catch (err) {
    io.err(`Error: ${(err as Error).message}\n\n${verbHelp(nounName, verbName, verb)}`);
    return 2;
  }

  let config: Config;
  try {
    config = parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return (io.err(err.message), 1);
    throw err;
  }
  let local: OpenDatabase | null = null;
  const ctx: CliContext = {
    config,
    async db(): Promise<AccountsDb> {
      local ??= await openDatabase(config, { log: createLogger("warn", (l) => io.err(l)), role: "cli" });
      return { sql: local.database.sql, ensureSchema: local.migrator.ensure };
    },
    out: (line = "") => io.out(line),
    stdin: () => io.stdin(),
  };
  try {
    const code = await verb.run(ctx, parsed.values as Record<string, string | boolean | string[] | undefined>, parsed.positionals);
    return typeof code === "number" ? code : 0;
  } catch (err) {
    if (err instanceof UsageError) return (io.err(`Error: ${err.message}\n\n${verbHelp(nounName, verbName, verb)}`), 2);
    if (err instanceof AppError) return (io.err(`Error: ${err.message}`), 1);
    io.err(`Error: ${(err as Error).message ?? String(err)}`);
    return 1;
  } finally {
    await (local as OpenDatabase | null)?.close();
  }
}

if (import.meta.main) {
  process.exitCode = await runCli(process.argv.slice(2));
}
