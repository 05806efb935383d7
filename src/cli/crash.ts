import { systemClock } from "../clock.ts";
import { ConfigError, parseConfig } from "../config.ts";
import { createEventLog } from "../eventlog/local-log.ts";
import { createLogger } from "../log.ts";
import { createMetrics } from "../metrics/registry.ts";
import { CRASH_GROUP_STATUSES, type CrashGroupStatus } from "../pathways/contracts/crash-group-status-changed.v0.ts";
import { changeCrashGroupStatus } from "../triage/change-crash-group-status.ts";
import { openDatabase } from "../db/open.ts";

export const USAGE = `Usage: bun run src/cli/crash.ts status <group id> <${CRASH_GROUP_STATUSES.join("|")}>

  Records a triage decision for a crash group as an event in the event log (so rebuilding the
  projections keeps it) and projects it. The group id is crash_groups.id.`;

/**
 * `crash status <group> <status>`: appends the status change durably, then projects it at once
 * (idempotent, so the server's delivery loop applying it again changes nothing).
 */
export async function main(argv: string[]): Promise<number> {
  const [command, groupId, status] = argv;
  if (command === "-h" || command === "--help") return (console.log(USAGE), 0);
  if (command !== "status" || !groupId || !status || argv.length !== 3) return (console.error(USAGE), 2);
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
    const entry = await changeCrashGroupStatus({ eventLog, clock: systemClock }, groupId, status as CrashGroupStatus);
    // Embedded mode: project now, so the change shows even when no server is running.
    if (!config.flowcore) await db.projector.project([entry]);
    console.log(`Crash group ${groupId}: ${group.status} → ${status} (event ${entry.ingestId}).`);
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
