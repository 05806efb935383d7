import { eventId as readEventId, list, record, scalars, text } from "./clean.ts";
import { SENTRY_LIMITS } from "./limits.ts";

/** A frame in the shape `POST /api/crash` accepts as `stackTrace` (innermost first). */
export interface CrashFrameInput {
  file: string | null;
  function: string | null;
  line: number | null;
  column: number | null;
  isNative?: boolean;
  /** As the SDK decided; absent when it did not say, and our rules decide. */
  inApp?: boolean;
}

/** A Sentry event turned into the body of our own crash ingest (before scrubbing). */
export interface SentryCrash {
  eventId: string | null;
  errorType: string;
  message: string;
  stackTrace: CrashFrameInput[];
  release: string | null;
  environment: string | null;
  platform: string | null;
  osVersion: string | null;
  severity: "warning" | "error" | "fatal";
  breadcrumbs: Record<string, unknown>[] | null;
  context: Record<string, unknown> | null;
  fingerprint?: string[];
  /** The page or request URL: its host may decide the site, its path is kept (no query). */
  url: string | null;
}

const LEVELS: Record<string, SentryCrash["severity"]> = { fatal: "fatal", error: "error", warning: "warning", info: "warning", debug: "warning", log: "warning" };

/**
 * Sentry event → crash. This is an allow-list: only the fields below are read, so everything
 * the issue lists as never stored — `user` (ip_address including {{auto}}, id, email, username),
 * the user-agent string, `server_name`, `request.cookies/headers/data/query_string`, `modules`,
 * `extra`, `tags`, frame `vars` and source context lines — is never even copied.
 *
 * The primary exception is the last `exception.values` entry (Sentry lists a chain cause-first);
 * Sentry frames are oldest-first and ours innermost-first, so they are reversed. `in_app` is
 * kept when the SDK sent it. `message`/`logentry` events land too, as type "Message".
 */
export function sentryEventToCrash(event: Record<string, unknown>, platformHint: string | null = null): SentryCrash {
  const exceptions = list(record(event.exception)?.values ?? event.exception).slice(-SENTRY_LIMITS.exceptions);
  const last = record(exceptions[exceptions.length - 1]);
  // A message captured with a stack (attachStacktrace; browser SDKs do it by default) comes as a
  // synthetic exception: it is still a message, and lands as one.
  const synthetic = record(last?.mechanism)?.synthetic === true;
  const primary = synthetic ? null : last;
  const platform = text(event.platform, 100) ?? platformHint;
  const messageText = logMessage(event);

  let frames = last ? framesOf(record(last.stacktrace), platform) : [];
  if (primary && frames.length === 0) frames = framesOf(crashedThreadStack(event, primary.thread_id), platform);

  const level = typeof event.level === "string" ? LEVELS[event.level.toLowerCase()] : undefined;
  const mechanism = record(primary?.mechanism);
  const context = contextOf(event, mechanism);
  const fingerprint = list(event.fingerprint)
    .filter((p): p is string => typeof p === "string")
    .slice(0, 10)
    .map((p) => p.slice(0, 256));
  const custom = fingerprint.length > 0 && !fingerprint.some((p) => /\{\{\s*default\s*\}\}/.test(p));
  const os = record(record(event.contexts)?.os);

  return {
    eventId: readEventId(event.event_id),
    errorType: primary ? (text(primary.type, 200) ?? "Error") : "Message",
    message: (primary ? text(primary.value, 10_000) : null) ?? messageText ?? text(last?.value, 10_000) ?? "",
    stackTrace: frames,
    release: text(event.release, 200),
    environment: text(event.environment, 64),
    platform,
    osVersion: text(os?.version, 100),
    severity: level ?? (primary ? "error" : "warning"),
    breadcrumbs: breadcrumbsOf(event.breadcrumbs),
    context,
    ...(custom ? { fingerprint } : {}),
    url: text(record(event.request)?.url, 4096),
  };
}

function logMessage(event: Record<string, unknown>): string | null {
  const logentry = record(event.logentry) ?? record(event.message);
  if (logentry) return text(logentry.formatted, 10_000) ?? text(logentry.message, 10_000);
  return text(event.message, 10_000);
}

/** When the exception has no stack of its own (native and JVM SDKs), the crashed thread's. */
function crashedThreadStack(event: Record<string, unknown>, threadId: unknown): Record<string, unknown> | null {
  const threads = list(record(event.threads)?.values ?? event.threads)
    .slice(0, 256)
    .map(record);
  const thread = threads.find((t) => t && threadId !== undefined && t.id === threadId) ?? threads.find((t) => t?.crashed === true) ?? threads.find((t) => t?.current === true);
  return record(thread?.stacktrace);
}

// Packages the issue names as runtime, not app, code when an SDK does not set in_app itself.
const SYSTEM_MODULE = /^(?:android|androidx|java|javax|kotlin|kotlinx|dalvik|com\.android|sun|jdk)\./;
const SYSTEM_IMAGE = /(?:^|\/)(?:CoreFoundation|Foundation|UIKitCore|UIKit|libobjc\.A\.dylib|libsystem_[\w.]+|libdyld\.dylib|dyld|GraphicsServices|libdispatch\.dylib)$/;

function framesOf(stacktrace: Record<string, unknown> | null, platform: string | null): CrashFrameInput[] {
  const raw = list(stacktrace?.frames);
  // Oldest-first: the innermost frames are at the end, and those are the ones worth keeping.
  const frames: CrashFrameInput[] = [];
  for (let i = raw.length - 1; i >= 0 && frames.length < SENTRY_LIMITS.frames; i--) {
    const f = record(raw[i]);
    if (!f) continue;
    const module = text(f.module, 256);
    const fn = text(f.function, 256);
    const file = text(f.filename, 512) ?? text(f.abs_path, 512) ?? module;
    const jvm = platform === "java" || /\.(?:java|kt|scala|groovy)$/.test(file ?? "");
    const frame: CrashFrameInput = {
      file,
      function: jvm && module && fn ? `${module}.${fn}` : fn,
      line: typeof f.lineno === "number" ? f.lineno : null,
      column: typeof f.colno === "number" ? f.colno : null,
    };
    if (file === "[native code]" || (f.platform === "native" && !file)) frame.isNative = true;
    if (typeof f.in_app === "boolean") frame.inApp = f.in_app;
    else if ((module && SYSTEM_MODULE.test(module)) || (typeof f.package === "string" && SYSTEM_IMAGE.test(f.package))) frame.inApp = false;
    frames.push(frame);
  }
  return frames;
}

function breadcrumbsOf(v: unknown): Record<string, unknown>[] | null {
  const raw = list(record(v)?.values ?? v).slice(-SENTRY_LIMITS.breadcrumbs);
  const out: Record<string, unknown>[] = [];
  for (const b of raw.slice(-50)) {
    const r = record(b);
    if (!r) continue;
    const crumb: Record<string, unknown> = {};
    for (const k of ["type", "category", "level"] as const) {
      const s = text(r[k], 64);
      if (s) crumb[k] = s;
    }
    const message = text(r.message, 500);
    if (message) crumb.message = message;
    const ts = typeof r.timestamp === "number" || typeof r.timestamp === "string" ? r.timestamp : null;
    if (ts !== null) crumb.timestamp = typeof ts === "string" ? ts.slice(0, 40) : ts;
    const data = scalars(r.data, 10, 300);
    if (data) crumb.data = data;
    if (Object.keys(crumb).length > 0) out.push(crumb);
  }
  return out.length > 0 ? out : null;
}

/**
 * `contexts.os`, `device` and `app`, name and version only (the device's model, never its
 * name: on phones that is often the owner's name), plus how the error was caught.
 */
function contextOf(event: Record<string, unknown>, mechanism: Record<string, unknown> | null): Record<string, unknown> | null {
  const contexts = record(event.contexts);
  const out: Record<string, unknown> = {};
  const pick = (name: string, fields: [string, string][]) => {
    const c = record(contexts?.[name]);
    if (!c) return;
    const o: Record<string, string> = {};
    for (const [from, to] of fields) {
      const s = text(c[from], 100);
      if (s) o[to] = s;
    }
    if (Object.keys(o).length > 0) out[name] = o;
  };
  pick("os", [
    ["name", "name"],
    ["version", "version"],
  ]);
  pick("device", [
    ["model", "model"],
    ["family", "family"],
  ]);
  pick("app", [
    ["app_name", "name"],
    ["app_version", "version"],
  ]);
  if (mechanism) {
    const m: Record<string, unknown> = {};
    const type = text(mechanism.type, 64);
    if (type) m.type = type;
    if (typeof mechanism.handled === "boolean") m.handled = mechanism.handled;
    if (Object.keys(m).length > 0) out.mechanism = m;
  }
  return Object.keys(out).length > 0 ? out : null;
}
