import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { serverSlot, startServerProcess, type ServerProcess } from "../support/server-process.ts";

const ROOT = join(import.meta.dir, "..", "..");
let first: ServerProcess | null = null;
afterAll(async () => {
  if (first && first.proc.exitCode === null) {
    first.proc.kill("SIGTERM");
    await first.exited;
  }
}, 30_000);

test("a second server on a port another server holds exits 1 with a clear message and stops its own PostgreSQL", async () => {
  const a = serverSlot();
  first = await startServerProcess(a);
  // Another data directory and PostgreSQL port, the same HTTP port: with SO_REUSEPORT both would
  // listen and the kernel would split page views between two databases.
  const b = serverSlot();
  const second = Bun.spawn(["bun", "run", "src/index.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: "", HOST: "127.0.0.1", PORT: String(a.port), DATA_DIR: b.dataDir, EMBEDDED_PG_PORT: String(b.pgPort), LOG_LEVEL: "info" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const killer = setTimeout(() => second.kill("SIGKILL"), 45_000);
  const code = await second.exited;
  clearTimeout(killer);
  expect(code).toBe(1);
  expect(await new Response(second.stderr).text()).toContain(`Cannot listen on 127.0.0.1:${a.port}`);
  // The embedded server it started was stopped cleanly (its lock file is removed on shutdown).
  expect(await Bun.file(join(b.dataDir, "pg", "postmaster.pid")).exists()).toBe(false);
  // The first server still answers.
  expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
}, 60_000);
