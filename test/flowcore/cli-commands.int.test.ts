import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { applyInvocations, describeInvocation, localStreamArgs } from "../../src/cli/flowcore-cli.ts";
import { parseCliArgs } from "../../src/cli/flowcore.ts";

/** The Flowcore CLI wrappers, checked without the real `flowcore` binary. */
const repo = new URL("../../", import.meta.url).pathname;
const secret = "transformer-secret-for-tests";
const flowcoreVars = { FLOWCORE_TENANT: "acme", FLOWCORE_DATA_CORE: "private-analytics", FLOWCORE_WEBHOOK_API_KEY: "fc_key", FLOWCORE_TRANSFORMER_SECRET: secret };

// A stand-in `flowcore` that records its arguments (one per line, a blank line per invocation).
const binDir = mkdtempSync(join(tmpdir(), "fake-flowcore-bin-"));
const argsFile = join(binDir, "invocations.txt");
writeFileSync(join(binDir, "flowcore"), `#!/bin/sh\nprintf '%s\\n' "$@" >> "${argsFile}"\necho >> "${argsFile}"\nexit "\${FAKE_FLOWCORE_EXIT:-0}"\n`);
chmodSync(join(binDir, "flowcore"), 0o755);
afterAll(() => rmSync(binDir, { recursive: true, force: true }));

/** Runs the command as `bun flowcore:*` would, with only the given PATH and environment. */
function run(args: string[], env: Record<string, string>, withFakeCli: boolean) {
  rmSync(argsFile, { force: true });
  const path = [...(withFakeCli ? [binDir] : []), dirname(process.execPath), "/usr/bin", "/bin"].join(":");
  const r = Bun.spawnSync([process.execPath, "run", "src/cli/flowcore.ts", ...args], {
    cwd: repo,
    env: { PATH: path, HOME: process.env.HOME ?? "/tmp", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  let invocations: string[][] = [];
  try {
    invocations = readFileSync(argsFile, "utf8")
      .split("\n\n")
      .filter(Boolean)
      .map((block) => block.split("\n").filter((l, i, all) => i < all.length - 1 || l !== ""));
  } catch {}
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString(), invocations };
}

describe("argument lists", () => {
  test("apply: the data core, then the scenario, from flowcore.yaml with flowcore.local.yaml on top", () => {
    expect(applyInvocations()).toEqual([
      ["data-core", "apply", "-f", "flowcore.yaml", "-f", "flowcore.local.yaml"],
      ["scenario", "apply", "-f", "flowcore.yaml", "-f", "flowcore.local.yaml"],
    ]);
  });

  test("stream: from now; backfill: the full time range; both to <server>/api/transformer with X-Secret", () => {
    const common = [
      "scenario",
      "local",
      "-f",
      "flowcore.yaml",
      "-f",
      "flowcore.local.development.yaml",
      "-e",
      "http://127.0.0.1:3000/api/transformer",
      "-H",
      `X-Secret: ${secret}`,
    ];
    expect(localStreamArgs({ server: "http://127.0.0.1:3000/", secret, from: "now" })).toEqual([...common, "-s", "now"]);
    expect(localStreamArgs({ server: "http://127.0.0.1:3000", secret, from: "beginning", extra: ["-t", "10000"] })).toEqual([...common, "-c", "-t", "10000"]);
  });

  test("the printed command never shows the secret", () => {
    expect(describeInvocation(localStreamArgs({ server: "http://x", secret, from: "now" }))).not.toContain(secret);
  });

  test("command-line parsing", () => {
    expect(parseCliArgs(["backfill", "--rebuild", "--server", "http://h:1", "--", "-y"])).toEqual({
      command: "backfill",
      rebuild: true,
      yes: false,
      server: "http://h:1",
      help: false,
      extra: ["-y"],
    });
    expect(parseCliArgs(["backfill", "--rebuild", "--yes"])).toEqual({ command: "backfill", rebuild: true, yes: true, server: null, help: false, extra: [] });
    expect(parseCliArgs(["stream", "--rebuild"])).toBe("--rebuild only applies to backfill");
    expect(parseCliArgs(["stream", "--bogus"])).toBe('unknown argument "--bogus"');
  });
});

describe("running the commands", () => {
  test("without the Flowcore CLI on PATH: a clear message naming @flowcore/cli, non-zero exit", () => {
    for (const [cmd, env] of [
      ["stream", flowcoreVars],
      ["backfill", flowcoreVars],
      ["apply", {}],
    ] as const) {
      const r = run([cmd], env, false);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("Flowcore CLI (`flowcore`) is not installed");
      expect(r.stderr).toContain("npm install -g @flowcore/cli");
    }
  }, 30_000);

  test("Flowcore mode: stream and backfill run `flowcore scenario local` with the right arguments", () => {
    const stream = run(["stream"], flowcoreVars, true);
    expect(stream.code).toBe(0);
    expect(stream.invocations).toEqual([localStreamArgs({ server: "http://127.0.0.1:3000", secret, from: "now" })]);
    expect(stream.stdout).not.toContain(secret);

    const backfill = run(["backfill", "--server", "http://10.0.0.5:8080", "--", "-t", "10000"], { ...flowcoreVars, PORT: "4000" }, true);
    expect(backfill.code).toBe(0);
    expect(backfill.invocations).toEqual([localStreamArgs({ server: "http://10.0.0.5:8080", secret, from: "beginning", extra: ["-t", "10000"] })]);
  }, 30_000);

  test("apply runs both steps and stops at the first failure, passing its exit code on", () => {
    expect(run(["apply"], {}, true).invocations).toEqual(applyInvocations());
    const failed = run(["apply"], { FAKE_FLOWCORE_EXIT: "3" }, true);
    expect(failed.code).toBe(3);
    expect(failed.invocations).toEqual(applyInvocations().slice(0, 1));
  }, 30_000);

  test("bad usage → usage text and exit 2", () => {
    const r = run(["frobnicate"], {}, false);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Usage:");
  }, 30_000);
});
