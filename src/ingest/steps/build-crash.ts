import { processCrashReport } from "../../crash/index.ts";

const SEVERITIES = new Set(["warning", "error", "fatal"]);

/**
 * Crash body (snippet shape or the richer Oasis shape, aliases resolved) → the crash part of the
 * event payload: stack parsed, message and frames scrubbed, fingerprint computed.
 */
export function buildCrash(body: Record<string, unknown>) {
  const str = (...keys: string[]) => {
    for (const k of keys) if (typeof body[k] === "string" && body[k] !== "") return body[k] as string;
    return null;
  };
  const crash = processCrashReport({
    errorType: str("errorType") ?? "Error",
    message: str("message", "errorMessage") ?? "",
    stack: typeof body.stack === "string" ? body.stack : typeof body.stackTrace === "string" ? body.stackTrace : undefined,
    stackTrace: Array.isArray(body.stackTrace) ? body.stackTrace : undefined,
    fingerprint: Array.isArray(body.fingerprint) ? (body.fingerprint as string[]) : undefined,
  });
  const severity = str("severity")?.toLowerCase() ?? "error";
  const context = (body.context ?? body.appState ?? null) as Record<string, unknown> | null;
  return {
    errorType: crash.errorType,
    message: crash.message,
    frames: crash.frames,
    fingerprint: crash.fingerprint,
    release: str("release", "appVersion"),
    platform: str("platform"),
    osVersion: str("osVersion"),
    severity: (SEVERITIES.has(severity) ? severity : "error") as "warning" | "error" | "fatal",
    breadcrumbs: Array.isArray(body.breadcrumbs) ? (body.breadcrumbs as Record<string, unknown>[]) : null,
    context: context && typeof context === "object" && !Array.isArray(context) ? context : null,
  };
}
