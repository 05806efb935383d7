import { processCrashReport } from "../../crash/index.ts";
import { scrubMessage } from "../../crash/scrub.ts";
import { LIMITS } from "../../limits.ts";
import type { CrashInput } from "../types.ts";

const SEVERITIES = new Set(["warning", "error", "fatal"]);

/**
 * A crash as sent (aliases resolved by the adapter) → the crash part of the event payload: stack
 * parsed (the `platform` hint picks the format to try first), message and frames scrubbed, an
 * unparseable stack kept as scrubbed raw text, fingerprint computed. Breadcrumbs and
 * context are free text written by apps, so their strings are scrubbed the same way.
 */
export function buildCrash(input: CrashInput) {
  const crash = processCrashReport({
    errorType: input.errorType || "Error",
    message: input.message,
    stack: input.stack ?? undefined,
    stackTrace: input.stackTrace ?? undefined,
    fingerprint: input.fingerprint ?? undefined,
    platform: input.platform,
  });
  const severity = input.severity?.toLowerCase() ?? "error";
  const breadcrumbs = input.breadcrumbs ? input.breadcrumbs.slice(-LIMITS.storedBreadcrumbs).map((b) => scrubValue(b, 0)) : null;
  return {
    errorType: crash.errorType,
    message: crash.message,
    frames: crash.frames,
    // Omitted rather than null when frames were parsed, so such events look exactly as before.
    ...(crash.rawStack === null ? {} : { rawStack: crash.rawStack }),
    fingerprint: crash.fingerprint,
    release: input.release,
    platform: input.platform,
    osVersion: input.osVersion,
    severity: (SEVERITIES.has(severity) ? severity : "error") as "warning" | "error" | "fatal",
    breadcrumbs: breadcrumbs as Record<string, unknown>[] | null,
    context: input.context ? (scrubValue(input.context, 0) as Record<string, unknown>) : null,
    // Sentry events: the SDK's event id (feedback refers to it) and the environment.
    eventId: input.eventId ?? null,
    environment: input.environment ?? null,
  };
}

/** Scrubs every string in a small JSON value; depth and sizes are bounded. */
function scrubValue(v: unknown, depth: number): unknown {
  if (typeof v === "string") return scrubMessage(v).slice(0, 500);
  if (typeof v === "number" || typeof v === "boolean" || v === null) return v;
  if (depth >= 3) return null;
  if (Array.isArray(v)) return v.slice(0, 20).map((x) => scrubValue(x, depth + 1));
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v).slice(0, 30)) {
      if (k === "__proto__" || k === "constructor" || k === "prototype") continue;
      out[k.slice(0, 64)] = scrubValue(x, depth + 1);
    }
    return out;
  }
  return null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
