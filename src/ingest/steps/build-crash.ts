import { processCrashReport } from "../../crash/index.ts";
import { scrubMessage } from "../../crash/scrub.ts";

const SEVERITIES = new Set(["warning", "error", "fatal"]);
const MAX_BREADCRUMBS = 50;

/**
 * Crash body (snippet shape or the richer Oasis shape, aliases resolved) → the crash part of the
 * event payload: stack parsed (the `platform` hint picks the format to try first), message and
 * frames scrubbed, an unparseable stack kept as scrubbed raw text, fingerprint computed. Breadcrumbs and
 * context are free text written by apps, so their strings are scrubbed the same way.
 */
export function buildCrash(body: Record<string, unknown>) {
  const str = (...keys: string[]) => {
    for (const k of keys) if (typeof body[k] === "string" && body[k] !== "") return body[k] as string;
    return null;
  };
  const crash = processCrashReport({
    errorType: str("errorType") ?? "Error",
    message: str("message", "errorMessage") ?? "",
    stack: typeof body.stack === "string" ? body.stack : undefined,
    stackTrace: Array.isArray(body.stackTrace) ? body.stackTrace : undefined,
    fingerprint: Array.isArray(body.fingerprint) ? (body.fingerprint as string[]) : undefined,
    platform: str("platform"),
  });
  const severity = str("severity")?.toLowerCase() ?? "error";
  const breadcrumbs = Array.isArray(body.breadcrumbs) ? body.breadcrumbs.slice(-MAX_BREADCRUMBS).map((b) => scrubValue(b, 0)) : null;
  const context = body.context ?? body.appState;
  return {
    errorType: crash.errorType,
    message: crash.message,
    frames: crash.frames,
    // Omitted rather than null when frames were parsed, so such events look exactly as before.
    ...(crash.rawStack === null ? {} : { rawStack: crash.rawStack }),
    fingerprint: crash.fingerprint,
    release: str("release", "appVersion"),
    platform: str("platform"),
    osVersion: str("osVersion"),
    severity: (SEVERITIES.has(severity) ? severity : "error") as "warning" | "error" | "fatal",
    breadcrumbs: breadcrumbs as Record<string, unknown>[] | null,
    context: isRecord(context) ? (scrubValue(context, 0) as Record<string, unknown>) : null,
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
