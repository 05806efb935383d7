import type { Clock } from "../clock.ts";
import { AppError } from "../errors.ts";
import type { EventLog, LogEntry } from "../eventlog/local-log.ts";
import { toLogEntry } from "../eventlog/log-entry.ts";
import type { Contract } from "../pathways/contract.ts";
import { crashGroupDeleted } from "../pathways/contracts/crash-group-deleted.v0.ts";
import { CRASH_GROUP_STATUSES, crashGroupStatusChanged, type CrashGroupStatus } from "../pathways/contracts/crash-group-status-changed.v0.ts";

export interface TriageDeps {
  eventLog: EventLog;
  clock: Clock;
  newId?: () => string;
}

/** What may come with a status: "resolved in next release", "ignore until …". */
export interface StatusOptions {
  /** With `resolved`: crashes from releases newer than this one reopen the group. */
  resolvedInRelease?: string;
  /** With `ignored`: until this date. */
  ignoreUntil?: Date;
  /** With `ignored`: until this many more crashes. */
  ignoreCount?: number;
  at?: Date;
  signal?: AbortSignal;
}

export const GROUP_ID = /^[^:\s]{1,50}:[0-9a-f]{64}$/;

export function checkGroupId(groupId: string): void {
  if (!GROUP_ID.test(groupId)) throw new AppError(422, "invalid_group", `group must be a crash group id such as "g2:<64 hex digits>"; got "${groupId.slice(0, 80)}"`);
}

/**
 * Triage as an event: appends `crash-group.status-changed.v0` to the event log and resolves once
 * it is durable. The projection then recomputes the group's status, and a rebuild replays it, so
 * a user's triage survives `flowcore:backfill --rebuild`. Whoever calls this (CLI, admin API) has
 * checked that the caller may triage.
 */
export async function changeCrashGroupStatus(deps: TriageDeps, groupId: string, status: CrashGroupStatus, opts: StatusOptions = {}): Promise<LogEntry> {
  if (!(CRASH_GROUP_STATUSES as readonly string[]).includes(status)) {
    throw new AppError(422, "invalid_status", `status must be one of ${CRASH_GROUP_STATUSES.join(", ")}; got "${String(status).slice(0, 40)}"`);
  }
  checkGroupId(groupId);
  if (opts.resolvedInRelease !== undefined && status !== "resolved") throw new AppError(422, "invalid_status", "resolvedInRelease goes with status resolved");
  if ((opts.ignoreUntil !== undefined || opts.ignoreCount !== undefined) && status !== "ignored") {
    throw new AppError(422, "invalid_status", "ignoreUntil and ignoreCount go with status ignored");
  }
  const at = opts.at ?? deps.clock();
  if (opts.ignoreUntil !== undefined && !(opts.ignoreUntil.getTime() > at.getTime())) throw new AppError(422, "invalid_status", "ignoreUntil: must be in the future");
  return append(
    deps,
    crashGroupStatusChanged,
    {
      groupId,
      status,
      occurredAt: at.toISOString(),
      ...(opts.resolvedInRelease !== undefined && { resolvedInRelease: opts.resolvedInRelease }),
      ...(opts.ignoreUntil !== undefined && { ignoreUntil: opts.ignoreUntil.toISOString() }),
      ...(opts.ignoreCount !== undefined && { ignoreCount: opts.ignoreCount }),
    },
    opts.signal,
  );
}

/** Deletion as an event (`crash-group.deleted.v0`), so a rebuild does not bring the group back. */
export async function deleteCrashGroup(deps: TriageDeps, groupId: string, opts: { at?: Date; signal?: AbortSignal } = {}): Promise<LogEntry> {
  checkGroupId(groupId);
  return append(deps, crashGroupDeleted, { groupId, occurredAt: (opts.at ?? deps.clock()).toISOString() }, opts.signal);
}

async function append(deps: TriageDeps, contract: Contract, fields: Record<string, unknown>, signal?: AbortSignal): Promise<LogEntry> {
  const payload: Record<string, unknown> & { ingestId: string } = { ingestId: (deps.newId ?? (() => Bun.randomUUIDv7()))(), ...fields };
  const bad = contract.schema.safeParse(payload);
  if (!bad.success) {
    const issue = bad.error.issues[0];
    throw new AppError(422, "invalid_payload", `${issue?.path.join(".")}: ${issue?.message ?? "invalid"}`);
  }
  const entry = toLogEntry(contract, payload);
  await deps.eventLog.append(entry, signal);
  return entry;
}
