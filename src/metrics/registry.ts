import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { FastHistogram } from "./fast-histogram.ts";

/**
 * Every Prometheus metric the service exposes, created on one registry per app instance (tests
 * build several apps in one process). Names carry the `analytics_` prefix. Every `type` label is a
 * contract's label from the projection registry (`pageview`, `custom_event`, `crash`, …).
 */
export function createMetrics(opts: { flowcore?: boolean } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "analytics_" });
  // The V8 heap-space breakdown costs ~8 ms of event-loop time per scrape (more than everything
  // else together), time an open /metrics would take from ingest; total heap figures remain.
  for (const kind of ["size_total", "size_used", "size_available"]) registry.removeSingleMetric(`analytics_nodejs_heap_space_${kind}_bytes`);
  const r = { registers: [registry] };
  return {
    registry,
    serviceInfo: new Gauge({ ...r, name: "analytics_service_info", help: "Service metadata; always 1", labelNames: ["version", "mode", "salt_mode"] }),
    saltRotationSeconds: new Gauge({ ...r, name: "analytics_salt_rotation_seconds", help: "Seconds until the next daily salt rotation (00:00 UTC)" }),
    saltRotations: new Counter({ ...r, name: "analytics_salt_rotations_total", help: "Salt rotation runs by outcome", labelNames: ["outcome"] }),
    ingested: new Counter({ ...r, name: "analytics_events_ingested_total", help: "Events accepted and durably logged, by type", labelNames: ["type"] }),
    dropped: new Counter({ ...r, name: "analytics_events_dropped_total", help: "Events dropped by the ingest pipeline, by reason", labelNames: ["type", "reason"] }),
    // Observed several times per request: the cheap histogram (same exposition).
    ingestStepSeconds: new FastHistogram(
      "analytics_ingest_step_seconds",
      "Time spent in each ingest pipeline step",
      ["step"],
      [0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01],
      [registry],
    ),
    rejected: new Counter({ ...r, name: "analytics_requests_rejected_total", help: "Requests rejected with a 4xx/5xx, by error code", labelNames: ["code"] }),
    logAppendBatch: new Histogram({ ...r, name: "analytics_eventlog_append_batch_size", help: "Events per group commit", buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000] }),
    logAppendSeconds: new Histogram({
      ...r,
      name: "analytics_eventlog_append_seconds",
      help: "Duration of one group commit",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    }),
    logCommitTimeouts: new Counter({
      ...r,
      name: "analytics_eventlog_commit_timeouts_total",
      help: "Events answered 503 because the database did not commit them within EVENTLOG_COMMIT_TIMEOUT_MS",
    }),
    logLateCommits: new Counter({
      ...r,
      name: "analytics_eventlog_late_commits_total",
      help: "Events committed after their client was answered 503 (a database frozen mid-commit)",
    }),
    logBacklog: new Gauge({ ...r, name: "analytics_eventlog_backlog", help: "Events in the event log not yet projected (embedded) or forwarded (Flowcore)" }),
    projected: new Counter({ ...r, name: "analytics_events_projected_total", help: "Events projected into tables, by type", labelNames: ["type"] }),
    projectionErrors: new Counter({ ...r, name: "analytics_projection_errors_total", help: "Failed projection batches, by cause", labelNames: ["cause"] }),
    projectionLag: new Gauge({ ...r, name: "analytics_projection_lag_seconds", help: "Age of the newest projected event when it was projected" }),
    httpDuration: new FastHistogram(
      "analytics_http_request_duration_seconds",
      "HTTP request duration by route and status",
      ["method", "route", "status"],
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      [registry],
    ),
    embeddedRestarts: new Counter({ ...r, name: "analytics_embedded_postgres_restarts_total", help: "Times the supervisor restarted the embedded PostgreSQL after it died" }),
    dbUp: new Gauge({ ...r, name: "analytics_database_up", help: "1 when the last database check succeeded" }),
    /** Only in Flowcore mode: the forwarder's metrics (absent from /metrics otherwise). */
    flowcore: opts.flowcore ? createFlowcoreMetrics(r) : null,
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

/** The Flowcore forwarder's metrics (ships the event log to Flowcore). */
function createFlowcoreMetrics(r: { registers: Registry[] }) {
  return {
    backlog: new Gauge({ ...r, name: "analytics_flowcore_backlog", help: "Events in the local event log not yet accepted by Flowcore" }),
    emitSeconds: new Histogram({
      ...r,
      name: "analytics_flowcore_emit_seconds",
      help: "Duration of one batch write to Flowcore (including the writer's short retries)",
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 30],
    }),
    emitFailures: new Counter({ ...r, name: "analytics_flowcore_emit_failures_total", help: "Failed batch writes to Flowcore, by cause", labelNames: ["cause"] }),
    lastEmit: new Gauge({ ...r, name: "analytics_flowcore_last_emit_timestamp_seconds", help: "Unix time of the last batch Flowcore accepted" }),
    emitted: new Counter({ ...r, name: "analytics_flowcore_events_emitted_total", help: "Events Flowcore accepted, by type", labelNames: ["type"] }),
  };
}
export type FlowcoreMetrics = ReturnType<typeof createFlowcoreMetrics>;
