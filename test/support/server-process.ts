import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";

const ROOT = join(import.meta.dir, "..", "..");

export interface ServerProcess {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  url: string;
  dataDir: string;
  pgPort: number;
  output: () => string;
  /** Waits for the process to exit; returns its exit code. */
  exited: Promise<number>;
}

/** A port nothing listens on right now (the OS picks it). */
function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

/** A fresh data directory and ports for `bun run src/index.ts` as a child process. */
export function serverSlot() {
  return { dataDir: mkdtempSync(join(tmpdir(), "analytics-srv-")), port: freePort(), pgPort: freePort() };
}

/** Starts the real server (`bun run src/index.ts`) and waits until /healthz answers. */
export async function startServerProcess(slot: ReturnType<typeof serverSlot>, env: Record<string, string> = {}, timeoutMs = 30_000): Promise<ServerProcess> {
  const proc = Bun.spawn(["bun", "run", "src/index.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: "", PORT: String(slot.port), HOST: "127.0.0.1", DATA_DIR: slot.dataDir, EMBEDDED_PG_PORT: String(slot.pgPort), LOG_LEVEL: "info", ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let out = "";
  const pump = async (s: ReadableStream<Uint8Array>) => {
    const d = new TextDecoder();
    const reader = s.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      out += d.decode(value, { stream: true });
    }
  };
  void pump(proc.stdout);
  void pump(proc.stderr);
  const url = `http://127.0.0.1:${slot.port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited during start-up (${proc.exitCode}):\n${out}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`server did not become healthy within ${timeoutMs} ms:\n${out}`);
    }
    await Bun.sleep(25); // poll interval of this wait-with-deadline
  }
  return { proc, url, dataDir: slot.dataDir, pgPort: slot.pgPort, output: () => out, exited: proc.exited };
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
