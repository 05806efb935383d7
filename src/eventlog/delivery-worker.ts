/**
 * The delivery loop (delivery.ts) on its own thread: a Worker started by delivery-thread.ts. It
 * opens its own small pool on the same database and reports what the loop would have written to
 * the process's metrics and log as messages; the server thread applies them.
 */
import { connectAt } from "../db/open.ts";
import type { Logger, LogLevel } from "../log.ts";
import { createDelivery, type Delivery, type DeliveryMetrics } from "./delivery.ts";
import { toMessageFields, type FromDelivery, type ToDelivery } from "./delivery-messages.ts";

declare const self: Worker;

const post = (m: FromDelivery) => self.postMessage(m);

const metrics: DeliveryMetrics = {
  projected: { inc: (labels, value) => post({ type: "metric", name: "projected", op: "inc", labels, value: value ?? 1 }) },
  projectionErrors: { inc: (labels, value) => post({ type: "metric", name: "projectionErrors", op: "inc", labels, value: value ?? 1 }) },
  projectionLag: { set: (value) => post({ type: "metric", name: "projectionLag", op: "set", labels: {}, value }) },
  logBacklog: { set: (value) => post({ type: "metric", name: "logBacklog", op: "set", labels: {}, value }) },
};

const at = (level: Exclude<LogLevel, "silent">) => (msg: string, fields?: Record<string, unknown>) => post({ type: "log", level, msg, fields: toMessageFields(fields) });
const log: Logger = {
  debug: at("debug"),
  info: at("info"),
  warn: at("warn"),
  error: at("error"),
  throttled: (key, intervalMs, level, msg, fields) => post({ type: "log", level, msg, fields: toMessageFields(fields), throttle: { key, intervalMs } }),
};

let delivery: Delivery | null = null;
let close: (() => Promise<void>) | null = null;

self.onmessage = async (event: MessageEvent<ToDelivery>) => {
  const m = event.data;
  try {
    switch (m.type) {
      case "start": {
        const { database, migrator, projector } = connectAt(m.url, 3);
        delivery = createDelivery({ sql: database.sql, schemaReady: migrator.ready, projector, metrics, log });
        close = database.close;
        delivery.start();
        break;
      }
      case "nudge":
        delivery?.nudge();
        break;
      case "step":
        post({ type: "reply", id: m.id, value: (await delivery?.step()) ?? 0 });
        break;
      case "backlog":
        post({ type: "reply", id: m.id, value: (await delivery?.backlog()) ?? 0 });
        break;
      case "stop":
        await delivery?.stop();
        await close?.().catch(() => {});
        post({ type: "stopped" });
        break;
    }
  } catch (err) {
    if (m.type === "step" || m.type === "backlog") post({ type: "reply", id: m.id, error: (err as Error).message ?? String(err) });
    else log.error("delivery thread failed", { error: err as Error });
  }
};
