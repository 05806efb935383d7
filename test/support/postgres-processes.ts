import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The postmaster pid of the embedded server in `dataDir` (first line of postmaster.pid). */
export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
}

/** The postmaster and every process it forked (backends, checkpointer, WAL writer, ...). */
export function postgresPids(dataDir: string): number[] {
  const root = postmasterPid(dataDir);
  const pids = [root];
  for (const entry of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === root) pids.push(Number(entry));
    } catch {
      // the process exited while we looked
    }
  }
  return pids;
}

/** Sends `signal` to every process of the embedded server in `dataDir`. */
export function signalPostgres(dataDir: string, signal: "SIGSTOP" | "SIGCONT"): number[] {
  const pids = postgresPids(dataDir);
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
  return pids;
}
