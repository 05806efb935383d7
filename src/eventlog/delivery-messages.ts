/** The messages between the server thread and the delivery thread (delivery-thread.ts). */
import type { LogLevel } from "../log.ts";

export type ToDelivery = { type: "start"; url: string } | { type: "nudge" } | { type: "step"; id: number } | { type: "backlog"; id: number } | { type: "stop" };

export type FromDelivery =
  | { type: "stopped" }
  | { type: "reply"; id: number; value?: number; error?: string }
  | { type: "metric"; name: "projected" | "projectionErrors" | "projectionLag" | "logBacklog"; op: "inc" | "set"; labels: Record<string, string>; value: number }
  | { type: "log"; level: Exclude<LogLevel, "silent">; msg: string; fields?: Record<string, unknown>; throttle?: { key: string; intervalMs: number } };

/** Log fields as a message carries them: an Error as its name, message, code and stack. */
export function toMessageFields(fields?: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!fields) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = v instanceof Error ? { $error: true, name: v.name, message: v.message, code: (v as { code?: unknown }).code, stack: v.stack } : v;
  }
  return out;
}

/** The other way: an Error again, so the server's log formats it as its own. */
export function fromMessageFields(fields?: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!fields) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v && typeof v === "object" && (v as { $error?: boolean }).$error) {
      const e = v as { name: string; message: string; code?: unknown; stack?: string };
      out[k] = Object.assign(new Error(e.message), { name: e.name, stack: e.stack }, e.code !== undefined ? { code: e.code } : {});
    } else out[k] = v;
  }
  return out;
}
