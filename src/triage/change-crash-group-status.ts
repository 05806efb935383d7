import type { Clock } from "../clock.ts";
import { AppError } from "../errors.ts";
import type { EventLog, LogEntry } from "../eventlog/local-log.ts";
import { CRASH_GROUP_STATUSES, crashGroupStatusChanged, type CrashGroupStatus } from "../pathways/contracts/crash-group-status-changed.v0.ts";
import { toLogEntry } from "../eventlog/log-entry.ts";

export interface TriageDeps {
  eventLog: EventLog;
  clock: Clock;
  newId?: () => string;
}

/**
 * Triage as an event: appends `crash-group.status-changed.v0` to the event log and resolves once
 * it is durable. The projection then sets `crash_groups.status`, and a rebuild replays it, so a
 * user's triage survives `flowcore:backfill --rebuild`. Whoever calls this (CLI, admin API) has
 * checked that the caller may triage.
 */
export async function changeCrashGroupStatus(deps: TriageDeps, groupId: string, status: CrashGroupStatus, opts: { at?: Date } = {}): Promise<LogEntry> {
  if (!(CRASH_GROUP_STATUSES as readonly string[]).includes(status)) {
    throw new AppError(422, "invalid_status", `status must be one of ${CRASH_GROUP_STATUSES.join(", ")}; got "${status}"`);
  }
  if (!/^[^:\s]{1,50}:[0-9a-f]{64}$/.test(groupId)) {
    throw new AppError(422, "invalid_group", `group must be a crash group id such as "v1:<64 hex digits>"; got "${groupId.slice(0, 80)}"`);
  }
  const ingestId = (deps.newId ?? (() => Bun.randomUUIDv7()))();
  const payload = { ingestId, groupId, status, occurredAt: (opts.at ?? deps.clock()).toISOString() };
  const bad = crashGroupStatusChanged.schema.safeParse(payload);
  if (!bad.success) throw new AppError(422, "invalid_payload", bad.error.issues[0]?.message ?? "invalid status change");
  const entry = toLogEntry(crashGroupStatusChanged, payload);
  await deps.eventLog.append(entry);
  return entry;
}
