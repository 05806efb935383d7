import { expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { serverSlot } from "../support/server-process.ts";
import { until } from "../support/wait.ts";

const ROOT = join(import.meta.dir, "..", "..");
const spawnServer = (env: Record<string, string>) =>
  Bun.spawn(["bun", "run", "src/index.ts"], { cwd: ROOT, env: { ...process.env, HOST: "127.0.0.1", LOG_LEVEL: "info", ...env }, stdin: "ignore", stdout: "pipe", stderr: "pipe" });

test("an out-of-range PORT stops start-up before PostgreSQL is started, naming the variable", async () => {
  const slot = serverSlot();
  const proc = spawnServer({ DATABASE_URL: "", PORT: "99999", DATA_DIR: slot.dataDir, EMBEDDED_PG_PORT: String(slot.pgPort) });
  expect(await proc.exited).toBe(1);
  expect(await new Response(proc.stderr).text()).toContain("PORT: 99999 is out of range (set it to the HTTP port, a whole number from 1 to 65535");
  // Nothing was started or initialised in the data directory.
  expect(existsSync(slot.dataDir) ? readdirSync(slot.dataDir) : []).toEqual([]);
});

test("TRUST_PROXY=true starts, with a warning in the log", async () => {
  const slot = serverSlot();
  // An unreachable external database: the server starts anyway (it recovers when the database
  // comes), which is all this test needs to see the start-up log.
  const proc = spawnServer({ DATABASE_URL: "postgres://u:p@127.0.0.1:1/none", PORT: String(slot.port), TRUST_PROXY: "true" });
  let out = "";
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      out += decoder.decode(value);
    }
  })();
  try {
    await until(() => out.includes('"msg":"listening"'), "the server to listen", 15_000);
    const warnings = out.split("\n").filter((l) => l.includes('"level":"warn"') && l.includes("TRUST_PROXY=true"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("number of proxies");
  } finally {
    proc.kill("SIGKILL"); // shutdown order is not what this test is about (and no database to stop)
    await proc.exited;
  }
}, 30_000);
