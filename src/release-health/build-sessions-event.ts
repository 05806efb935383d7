import type { LogEntry } from "../eventlog/local-log.ts";
import { toLogEntry } from "../eventlog/log-entry.ts";
import type { SessionCounts } from "../ingest/adapters/sentry/sessions.ts";
import { sessionsCounted, type SessionsCounted } from "../pathways/contracts/release-health.v0.ts";

/** Session counts → event-log entry (counts only; nothing about any one session). */
export function buildSessionsEvent(counts: SessionCounts, at: { ingestId: string; projectId: number; site: string }): LogEntry {
  const payload: SessionsCounted = {
    ingestId: at.ingestId,
    projectId: at.projectId,
    site: at.site,
    release: counts.release,
    environment: counts.environment,
    hour: counts.hour.toISOString(),
    started: counts.started,
    errored: counts.errored,
    crashed: counts.crashed,
    abnormal: counts.abnormal,
  };
  return toLogEntry(sessionsCounted, payload);
}
