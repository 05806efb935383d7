import type { ParseArgsConfig } from "node:util";
import type { AccountsDb } from "../../accounts/db.ts";
import type { Config } from "../../config.ts";

/** What a CLI verb gets: the config, the database (opened on first use) and an output sink. */
export interface CliContext {
  config: Config;
  db(): Promise<AccountsDb>;
  out(line?: string): void;
  /** Reads all of stdin (for --password-stdin). */
  stdin(): Promise<string>;
}

export interface Verb {
  /** The argument part of the usage line, e.g. "ID [--yes]". */
  args: string;
  summary: string;
  /** Extra help lines (options and examples). */
  help?: string[];
  options?: NonNullable<ParseArgsConfig["options"]>;
  /** How many positionals are allowed; default 0. */
  positionals?: { min: number; max: number };
  run(ctx: CliContext, values: Record<string, string | boolean | string[] | undefined>, positionals: string[]): Promise<number | void>;
}

export interface Noun {
  summary: string;
  verbs: Record<string, Verb>;
}

/** A usage error: printed with the help of the verb, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Columns padded to their widest cell. */
export function table(rows: (string | number | null)[][], header: string[]): string[] {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === null ? "-" : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}

export const when = (d: Date | null) => (d ? d.toISOString().replace(/\.\d+Z$/, "Z") : null);

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
