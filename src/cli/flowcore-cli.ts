/**
 * The Flowcore CLI (`flowcore`, npm package `@flowcore/cli`) invocations behind
 * `bun flowcore:apply | flowcore:stream | flowcore:backfill`. The argument lists are plain data, so
 * tests check them without the real CLI.
 */
export const MANIFEST = "flowcore.yaml";
/** A developer's tenant override; later files override earlier ones. */
export const LOCAL_MANIFEST = "flowcore.local.yaml";
/** `development.proxyEndpoints` for `flowcore scenario local`. */
export const DEV_MANIFEST = "flowcore.local.development.yaml";

export const MISSING_CLI_MESSAGE = [
  "The Flowcore CLI (`flowcore`) is not installed or not on PATH.",
  "Install it with `npm install -g @flowcore/cli` (or `bun add -g @flowcore/cli`), log in with `flowcore login`,",
  "then run this command again.",
].join("\n");

/** `bun flowcore:apply`: the data core (flow types, event types), then the scenario (transformers). */
export function applyInvocations(extra: string[] = []): string[][] {
  const files = ["-f", MANIFEST, "-f", LOCAL_MANIFEST];
  return [
    ["data-core", "apply", ...files, ...extra],
    ["scenario", "apply", ...files, ...extra],
  ];
}

/**
 * `bun flowcore:stream` (from now) and `bun flowcore:backfill` (the full time range, from the first
 * event): Flowcore's events are delivered to this server's /api/transformer with the secret header.
 * flowcore.local.development.yaml carries the developer's tenant for local streaming.
 */
export function localStreamArgs(o: { server: string; secret: string; from: "now" | "beginning"; extra?: string[] }): string[] {
  return [
    "scenario",
    "local",
    "-f",
    MANIFEST,
    "-f",
    DEV_MANIFEST,
    "-e",
    `${o.server.replace(/\/+$/, "")}/api/transformer`,
    "-H",
    `X-Secret: ${o.secret}`,
    ...(o.from === "now" ? ["-s", "now"] : ["-c"]),
    ...(o.extra ?? []),
  ];
}

/** For printing: the secret header value masked. */
export function describeInvocation(args: string[]): string {
  return ["flowcore", ...args.map((a) => (/^x-secret:/i.test(a) ? "X-Secret: ***" : a))].map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(" ");
}

/**
 * Runs `flowcore <args>` attached to this terminal; resolves with its exit code. A missing CLI is
 * reported with how to install it, exit code 127 (the shell's "command not found").
 */
export async function runFlowcore(args: string[], out: { error(line: string): void; info(line: string): void } = console): Promise<number> {
  const bin = Bun.which("flowcore");
  if (!bin) {
    out.error(MISSING_CLI_MESSAGE);
    return 127;
  }
  out.info(`$ ${describeInvocation(args)}`);
  const child = Bun.spawn([bin, ...args], { stdio: ["inherit", "inherit", "inherit"] });
  // Ctrl-C reaches the child through the terminal; wait for it to finish rather than exiting first.
  const ignore = () => {};
  process.on("SIGINT", ignore);
  try {
    return await child.exited;
  } finally {
    process.off("SIGINT", ignore);
  }
}
