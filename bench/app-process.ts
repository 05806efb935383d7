import type { Subprocess } from "bun";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";

/**
 * Child processes for the bench: the real app (`bun run src/index.ts` on its own embedded
 * PostgreSQL) and the bare server, plus what we read about them from /proc.
 */
export const ROOT = resolve(import.meta.dir, "..");

export interface ChildServer {
  pid: number;
  port: number;
  /** ms from spawn until the server answered (GET /healthz for the app). */
  startupMs: number;
  /** The tail of the child's stdout + stderr, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

const live = new Set<Subprocess>();
const pgPids = new Set<number>();
/** Never leave a server behind, even when the bench fails half-way. */
export function killAllChildren() {
  for (const p of live) p.kill("SIGKILL");
  for (const pid of pgPids) {
    try {
      process.kill(pid, "SIGQUIT");
    } catch {}
  }
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

function spawnChild(args: string[], env: Record<string, string>) {
  let tail = "";
  const proc = Bun.spawn([process.execPath, ...args], { cwd: ROOT, env, stdout: "pipe", stderr: "pipe" });
  live.add(proc);
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder();
    const reader = stream.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) tail = (tail + dec.decode(r.value)).slice(-4000);
  };
  void collect(proc.stdout);
  void collect(proc.stderr);
  return { proc, output: () => tail };
}

async function stopChild(proc: Subprocess, timeoutMs: number) {
  proc.kill("SIGTERM");
  const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
  await proc.exited;
  clearTimeout(timer);
  live.delete(proc);
}

async function waitUntil(what: string, ok: () => Promise<boolean>, proc: Subprocess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok().catch(() => false))) {
    if (proc.exitCode !== null) throw new Error(`${what} exited (code ${proc.exitCode}) before it was ready:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`${what} was not ready within ${timeoutMs} ms:\n${output()}`);
    await Bun.sleep(10);
  }
}

export async function startBareServer(): Promise<ChildServer> {
  const port = await freePort();
  const t0 = performance.now();
  const { proc, output } = spawnChild(["run", "bench/bare-server.ts"], { PATH: process.env.PATH ?? "/usr/bin:/bin", PORT: String(port) });
  await waitUntil("bare server", async () => (await fetch(`http://127.0.0.1:${port}/`)).ok, proc, output, 15_000);
  return { pid: proc.pid, port, startupMs: performance.now() - t0, output, stop: () => stopChild(proc, 5000) };
}

/** The minimal durable server (durable-server.ts) committing to the PostgreSQL at `adminUrl`. */
export async function startDurableServer(adminUrl: string): Promise<ChildServer> {
  const port = await freePort();
  const t0 = performance.now();
  const { proc, output } = spawnChild(["run", "bench/durable-server.ts"], { PATH: process.env.PATH ?? "/usr/bin:/bin", PORT: String(port), DATABASE_URL: adminUrl });
  await waitUntil("durable server", async () => (await fetch(`http://127.0.0.1:${port}/`)).ok, proc, output, 30_000);
  return { pid: proc.pid, port, startupMs: performance.now() - t0, output, stop: () => stopChild(proc, 5000) };
}

export interface AppOptions {
  dataDir: string;
  port: number;
  pgPort: number;
  /** Extra environment, e.g. TRUST_PROXY. */
  env?: Record<string, string>;
  /** Run under Bun's CPU profiler; the profile is written here when the app stops. */
  cpuProfDir?: string;
}

/** The app in embedded mode, as `bun start` runs it, on its own data dir and ports. */
export async function startApp(o: AppOptions): Promise<ChildServer & { postgresPid(): number | null; spawnedAt: number }> {
  // Whatever the calling shell has configured, the bench measures the zero-config embedded mode:
  // the environment is built from scratch, not inherited.
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    PORT: String(o.port),
    HOST: "127.0.0.1",
    DATA_DIR: o.dataDir,
    EMBEDDED_PG_PORT: String(o.pgPort),
    LOG_LEVEL: "warn",
    ...o.env,
  };
  const t0 = performance.now();
  const profile = o.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${o.cpuProfDir}`] : [];
  const { proc, output } = spawnChild([...profile, "run", "src/index.ts"], env);
  const postgresPid = () => postmasterPid(o.dataDir);
  await waitUntil(
    "app",
    async () => {
      const pid = postgresPid();
      if (pid) pgPids.add(pid);
      return (await fetch(`http://127.0.0.1:${o.port}/healthz`)).status === 200;
    },
    proc,
    output,
    120_000,
  );
  const startupMs = performance.now() - t0;
  return {
    pid: proc.pid,
    port: o.port,
    startupMs,
    output,
    postgresPid,
    spawnedAt: t0,
    async stop() {
      const pg = postgresPid();
      await stopChild(proc, 20_000);
      if (pg) pgPids.delete(pg);
    },
  };
}

function postmasterPid(dataDir: string): number | null {
  const file = join(dataDir, "pg", "postmaster.pid");
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

// ── /proc ───────────────────────────────────────────────────────────────────────────────────────

/** VmRSS and VmHWM (peak RSS) of one process, in MB. */
export function memoryOf(pid: number): { rssMb: number; hwmMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
  return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
}

/**
 * Memory of a process and all its children as the sum of PSS (shared pages split between the
 * processes that map them), so PostgreSQL's shared buffers are counted once, not per backend.
 */
export function treePssMb(rootPid: number): number {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {} // exited meanwhile
  }
  let kb = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      kb += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0);
    } catch {}
    stack.push(...(children.get(pid) ?? []));
  }
  return kb / 1024;
}

/**
 * Samples the app's RSS every 200 ms and PostgreSQL's (a walk over /proc, so less often) every
 * second until stopped; returns the peaks seen.
 */
export function sampleMemory(appPid: number, postgresPid: () => number | null) {
  const peak = { appRssMb: 0, postgresPssMb: 0 };
  const app = () => {
    try {
      peak.appRssMb = Math.max(peak.appRssMb, memoryOf(appPid).rssMb);
    } catch {} // exited
  };
  const pg = () => {
    const pid = postgresPid();
    if (pid) peak.postgresPssMb = Math.max(peak.postgresPssMb, treePssMb(pid));
  };
  app();
  pg();
  const timers = [setInterval(app, 200), setInterval(pg, 1000)];
  return {
    stop() {
      for (const t of timers) clearInterval(t);
      app();
      pg();
      return peak;
    },
  };
}
