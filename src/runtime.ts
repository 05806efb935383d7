import { ensureFirstAdmin } from "./accounts/users.ts";
import { createAlertMetrics } from "./alerts/alert-metrics.ts";
import { createAlertSender, type AlertSender, type AlertSenderOptions } from "./alerts/alert-sender.ts";
import { systemClock, type Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { EmbeddedServer } from "./db/embedded.ts";
import { openDatabase } from "./db/open.ts";
import type { Deps } from "./deps.ts";
import { createDelivery, type Delivery } from "./eventlog/delivery.ts";
import { startDeliveryThread } from "./eventlog/delivery-thread.ts";
import { createForwarder, type Forwarder } from "./eventlog/forwarder.ts";
import { createEventLog } from "./eventlog/local-log.ts";
import type { Logger } from "./log.ts";
import { createMetrics } from "./metrics/registry.ts";
import { createPathways } from "./pathways/pathways.ts";
import { applyRetention, scheduleRetention } from "./query/retention.ts";
import { sealDueDays } from "./query/seal-days.ts";
import { derivedSaltStore, randomSaltStore, scheduleSaltRotation } from "./privacy/salt.ts";
import pkg from "../package.json" with { type: "json" };

export interface Runtime {
  deps: Deps;
  delivery: Delivery | null;
  /** Flowcore mode: ships the event log to Flowcore. */
  forwarder: Forwarder | null;
  embedded: EmbeddedServer | null;
  /** Sends crash alerts to webhooks (src/alerts/). */
  alerts: AlertSender | null;
  /** Flushes pending appends, finishes the delivery step, closes the pool, stops embedded PG. */
  stop(): Promise<void>;
}

/**
 * Wires the parts for one process: database (external or embedded), salts, event log, projector,
 * pathways, and in embedded mode the delivery loop. Nothing here creates a table: the first
 * event does (lazy migrations).
 */
export async function startRuntime(
  config: Config,
  opts: {
    log: Logger;
    clock?: Clock;
    delivery?: boolean;
    /** Run the delivery loop on a Worker thread (the server does; in-process tests step it here). */
    deliveryThread?: boolean;
    alerts?: false | Partial<Omit<AlertSenderOptions, "sql" | "schemaReady" | "metrics" | "log">>;
  },
): Promise<Runtime> {
  const { log } = opts;
  const clock = opts.clock ?? systemClock;
  const db = await openDatabase(config, { log, role: "server" });
  const { database, migrator, projector, embedded } = db;
  const metrics = createMetrics({ flowcore: config.flowcore !== null });
  const salts = config.saltMode === "derived" ? derivedSaltStore(config.secretKey!) : randomSaltStore(database.sql, migrator);
  const eventLog = createEventLog(database.sql, migrator.ensure, metrics, {
    commitTimeoutMs: config.eventLogCommitTimeoutMs,
    onLateCommit: (events) => log.warn("events committed after their clients were answered 503 (database froze mid-commit)", { events }),
    onAbandon: () => log.warn("an event-log commit is stuck far past its deadline; trying the next one on another connection"),
  });
  const pathways = createPathways(config, projector);
  const mode = config.flowcore ? "flowcore" : "embedded";

  const deliveryOn = mode === "embedded" && config.deliveryEnabled && opts.delivery !== false;
  const delivery = !deliveryOn
    ? null
    : opts.deliveryThread
      ? startDeliveryThread({ url: database.url, metrics, log })
      : createDelivery({ sql: database.sql, schemaReady: migrator.ready, projector, metrics, log });
  if (delivery) {
    eventLog.onAppend(() => delivery.nudge());
    delivery.start();
  }
  const forwarder =
    mode === "flowcore"
      ? createForwarder({
          sql: database.sql,
          schemaReady: migrator.ready,
          pathways,
          metrics,
          flowcoreMetrics: metrics.flowcore!,
          log,
          retentionHours: config.eventLogRetentionHours,
          emitTimeoutMs: config.flowcoreEmitTimeoutMs,
          retryMaxMs: config.flowcoreRetryMaxMs,
        })
      : null;
  if (forwarder) {
    eventLog.onAppend(() => forwarder.nudge());
    forwarder.start();
  }
  // Alerts go out from every instance (deliveries are leased, so none is sent twice).
  const alerts =
    opts.alerts === false
      ? null
      : createAlertSender({ sql: database.sql, schemaReady: migrator.ready, metrics: createAlertMetrics(metrics.registry), log, linkBase: config.publicUrl, ...opts.alerts });
  alerts?.start();
  const stopRotation = scheduleSaltRotation(salts, clock, (ok, err) => {
    metrics.saltRotations.inc({ outcome: ok ? "ok" : "error" });
    if (!ok) log.warn("salt rotation failed; retrying", { error: err as Error });
  });

  // Retention: raw rows past RETENTION_DAYS, crashes past CRASH_RETENTION_DAYS, hourly.
  const stopRetention = scheduleRetention(async () => {
    if (!(await migrator.ready())) return;
    const r = await applyRetention(database.sql, config, clock());
    const removed = Object.values(r).reduce((a, b) => a + b, 0);
    if (removed > 0) log.info("retention removed old rows", r as unknown as Record<string, unknown>);
  });

  // Filtered rollups: days that are over are sealed shortly after start-up, then every 10 minutes.
  let sealing: Promise<unknown> | null = null;
  let sealingStopped = false;
  const stopSealing = scheduleRetention(async () => {
    if (sealing || !(await migrator.ready())) return;
    const t0 = performance.now();
    sealing = sealDueDays(database.sql, clock(), () => sealingStopped)
      .then((r) => {
        if (r.days > 0) log.info("sealed days: filtered rollups written", { ...r, ms: Math.round(performance.now() - t0) });
      })
      .catch((err) => log.warn("sealing days failed; will retry", { error: err as Error }))
      .finally(() => (sealing = null));
    await sealing;
  }, 600_000);

  const deps: Deps = {
    config,
    clock,
    log,
    metrics,
    database,
    ensureSchema: migrator.ensure,
    salts,
    eventLog,
    projector,
    pathways,
    mode,
    version: pkg.version,
    healthChecks: forwarder ? { flowcore: () => forwarder.health() } : {},
  };

  let stopping: Promise<void> | null = null;
  const runtime: Runtime = {
    deps,
    delivery,
    forwarder,
    embedded,
    alerts,
    stop() {
      stopping ??= (async () => {
        stopRotation();
        stopRetention();
        stopSealing();
        sealingStopped = true;
        await sealing;
        await eventLog.drain();
        await delivery?.stop();
        await forwarder?.stop();
        await alerts?.stop();
        await db.close();
      })();
      return stopping;
    },
  };
  // First run: ADMIN_EMAIL/ADMIN_PASSWORD create the first admin when no user exists yet.
  try {
    await ensureFirstAdmin({ sql: database.sql, ensureSchema: migrator.ensure }, config.firstAdmin, log);
  } catch (err) {
    await runtime.stop();
    throw err;
  }
  return runtime;
}
