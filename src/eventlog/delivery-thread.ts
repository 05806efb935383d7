import type { Logger } from "../log.ts";
import { fromMessageFields, type FromDelivery, type ToDelivery } from "./delivery-messages.ts";
import type { Delivery, DeliveryMetrics } from "./delivery.ts";

/** The shortest interval between two nudges sent to the thread. */
const NUDGE_MS = 20;

export interface DeliveryThreadOptions {
  /** The database the server writes the event log to; the thread opens its own pool on it. */
  url: string;
  metrics: DeliveryMetrics;
  log: Logger;
  /** Wait before starting a thread again after it died (it should not: the loop catches its errors). */
  restartMs?: number;
  /** How long stop() waits for the step in progress before ending the thread. */
  stopTimeoutMs?: number;
}

/**
 * The embedded delivery loop on a Worker thread (delivery-worker.ts). Projection is the heaviest
 * work of the process (validating, grouping, working out visits and rollups for thousands of
 * events a step); on this thread it held up the answers to ingest requests for as long as a step's
 * JavaScript ran. On its own thread, both cores work: under the bench's load (bench/app-only.ts,
 * three interleaved pairs) the server answered 4-13 % more requests and its p99 latency fell from
 * 34-44 ms to 24-28 ms. The loop's metrics and log lines come back as
 * messages and are kept by the server's registry and logger, so /metrics and the log are unchanged.
 */
export function startDeliveryThread(o: DeliveryThreadOptions): Delivery {
  let worker: Worker | null = null;
  let stopping: Promise<void> | null = null;
  let onStopped: (() => void) | null = null;
  let nudgeTimer: ReturnType<typeof setTimeout> | null = null;
  let nudgeLater = false;
  let nextId = 0;
  const replies = new Map<number, { resolve: (n: number) => void; reject: (e: Error) => void }>();

  function spawn() {
    const w = new Worker(new URL("./delivery-worker.ts", import.meta.url).href);
    worker = w;
    w.onmessage = (event: MessageEvent<FromDelivery>) => handle(event.data);
    w.addEventListener("error", (event) => o.log.error("delivery thread error", { error: (event as ErrorEvent).error ?? new Error((event as ErrorEvent).message) }));
    w.addEventListener("close", () => {
      if (worker !== w) return;
      worker = null;
      for (const r of replies.values()) r.reject(new Error("the delivery thread stopped"));
      replies.clear();
      if (onStopped) return onStopped();
      if (stopping) return;
      o.log.error("the delivery thread stopped unexpectedly; starting it again");
      setTimeout(() => !stopping && spawn(), o.restartMs ?? 1000).unref?.();
    });
    send({ type: "start", url: o.url });
  }

  function send(m: ToDelivery) {
    worker?.postMessage(m);
  }

  function handle(m: FromDelivery) {
    switch (m.type) {
      case "metric":
        if (m.op === "inc") (o.metrics[m.name as "projected"] as DeliveryMetrics["projected"]).inc(m.labels as { type: string }, m.value);
        else (o.metrics[m.name as "logBacklog"] as DeliveryMetrics["logBacklog"]).set(m.value);
        break;
      case "log":
        if (m.throttle) o.log.throttled(m.throttle.key, m.throttle.intervalMs, m.level, m.msg, fromMessageFields(m.fields));
        else o.log[m.level](m.msg, fromMessageFields(m.fields));
        break;
      case "reply": {
        const r = replies.get(m.id);
        replies.delete(m.id);
        if (m.error !== undefined) r?.reject(new Error(m.error));
        else r?.resolve(m.value ?? 0);
        break;
      }
      case "stopped":
        onStopped?.();
        break;
    }
  }

  function ask(type: "step" | "backlog"): Promise<number> {
    if (!worker) return Promise.reject(new Error("the delivery thread is not running"));
    const id = ++nextId;
    return new Promise((resolve, reject) => {
      replies.set(id, { resolve, reject });
      send({ type, id });
    });
  }

  /**
   * At most one message per NUDGE_MS however many appends commit (the loop waits settleMs after a
   * nudge anyway); a nudge that comes in the meantime is sent when the interval ends.
   */
  function nudge() {
    if (!worker) return;
    if (nudgeTimer) {
      nudgeLater = true;
      return;
    }
    send({ type: "nudge" });
    nudgeTimer = setTimeout(() => {
      nudgeTimer = null;
      if (nudgeLater) {
        nudgeLater = false;
        nudge();
      }
    }, NUDGE_MS);
    nudgeTimer.unref?.();
  }

  return {
    start() {
      if (!worker && !stopping) spawn();
    },
    nudge,
    step: () => ask("step"),
    backlog: () => ask("backlog"),
    stop() {
      stopping ??= (async () => {
        const w = worker;
        if (!w) return;
        // The step in progress commits first; a thread that does not answer is ended anyway.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            o.log.warn("the delivery thread did not stop in time; ending it");
            resolve();
          }, o.stopTimeoutMs ?? 10_000);
          onStopped = () => {
            clearTimeout(timer);
            resolve();
          };
          send({ type: "stop" });
        });
        worker = null;
        w.terminate();
      })();
      return stopping;
    },
  };
}
