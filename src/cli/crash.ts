import { systemClock } from "../clock.ts";
import { ConfigError, parseConfig } from "../config.ts";
import { createEventLog } from "../eventlog/local-log.ts";
import { createLogger } from "../log.ts";
import { createMetrics } from "../metrics/registry.ts";
import { CRASH_GROUP_STATUSES, type CrashGroupStatus } from "../pathways/contracts/crash-group-status-changed.v0.ts";
import { changeCrashGroupStatus } from "../triage/change-crash-group-status.ts";
import { currentRelease } from "../triage/group-detail.ts";
import { openDatabase } from "../db/open.ts";

export const USAGE = `Usage: bun run src/cli/crash.ts status <group id> <${CRASH_GROUP_STATUSES.join("|")}> [options]

  Records a triage decision for a crash group as an event in the event log (so rebuilding the
  projections keeps it) and projects it. The group id is crash_groups.id.

  resolved --next-release     only crashes from releases newer than the group's newest reopen it
  resolved --release R        only crashes from releases newer than R reopen it
  ignored --until DATE        until this date (ISO 8601); --count N: until N more crashes`;

/** The options after `status <group> <status>`: --next-release, --release R, --until DATE, --count N. */
function parseOptions(rest: string[]): { nextRelease: boolean; release?: string; until?: Date; count?: number } | string {
  const out: { nextRelease: boolean; release?: string; until?: Date; count?: number } = { nextRelease: false };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const value = () => rest[++i] ?? "";
    if (a === "--next-release") out.nextRelease = true;
    else if (a === "--release") out.release = value() || undefined;
    else if (a === "--until") {
      const v = value();
      out.until = new Date(v);
      if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(out.until.getTime())) return `--until must be an ISO 8601 date; got "${v.slice(0, 40)}"`;
    } else if (a === "--count") {
      const v = value();
      if (!/^[1-9]\d{0,8}$/.test(v)) return `--count must be a whole number from 1; got "${v.slice(0, 20)}"`;
      out.count = Number(v);
    } else return `unknown option "${a.slice(0, 40)}"`;
  }
  return out;
}

/**
 * `crash status <group> <status>`: appends the status change durably, then projects it at once
 * (idempotent, so the server's delivery loop applying it again changes nothing).
 */
export async function main(argv: string[]): Promise<number> {
  const [command, groupId, status, ...rest] = argv;
  if (command === "-h" || command === "--help") return (console.log(USAGE), 0);
  if (command !== "status" || !groupId || !status) return (console.error(USAGE), 2);
  const opts = parseOptions(rest);
  if (typeof opts === "string") return (console.error(`${opts}\n\n${USAGE}`), 2);
  if (!(CRASH_GROUP_STATUSES as readonly string[]).includes(status)) return (console.error(`status must be one of ${CRASH_GROUP_STATUSES.join(", ")}\n\n${USAGE}`), 2);
  let config;
  try {
    config = parseConfig();
  } catch (err) {
    if (err instanceof ConfigError) return (console.error(err.message), 1);
    throw err;
  }
  const log = createLogger(config.logLevel === "debug" ? "debug" : "warn", (line) => process.stderr.write(line + "\n"));
  const db = await openDatabase(config, { log, role: "cli" });
  try {
    if (!(await db.migrator.ready())) return (console.error(`no crash group "${groupId}": no event has been recorded yet`), 1);
    const [group] = await db.database.sql`select status from crash_groups where id = ${groupId}`;
    if (!group) return (console.error(`no crash group "${groupId}"`), 1);
    const eventLog = createEventLog(db.database.sql, db.migrator.ensure, createMetrics());
    const resolvedInRelease = opts.nextRelease ? ((await currentRelease(db.database.sql, groupId)) ?? undefined) : opts.release;
    if (opts.nextRelease && !resolvedInRelease) return (console.error(`crash group "${groupId}" has no crash with a release: resolve it without --next-release`), 1);
    const entry = await changeCrashGroupStatus({ eventLog, clock: systemClock }, groupId, status as CrashGroupStatus, {
      resolvedInRelease,
      ignoreUntil: opts.until,
      ignoreCount: opts.count,
    });
    // Embedded mode: project now, so the change shows even when no server is running.
    if (!config.flowcore) await db.projector.project([entry]);
    const [now] = await db.database.sql`select status from crash_groups where id = ${groupId}`;
    const detail = resolvedInRelease
      ? ` for releases after ${resolvedInRelease}`
      : opts.until
        ? ` until ${opts.until.toISOString()}`
        : opts.count
          ? ` until ${opts.count} more crashes`
          : "";
    console.log(`Crash group ${groupId}: ${group.status} → ${status}${detail} (event ${entry.ingestId}).${config.flowcore ? "" : ` Now: ${now?.status}.`}`);
    return 0;
  } finally {
    await db.close();
  }
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`crash ${process.argv[2] ?? ""} failed: ${err.message}`);
      process.exit(1);
    },
  );
}
