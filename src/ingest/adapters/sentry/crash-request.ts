import { projectSites, siteForProject, type ProjectRef } from "../../../accounts/projects.ts";
import { parseAnyStack } from "../../../crash/index.ts";
import { normaliseSite } from "../../steps/resolve-site.ts";
import type { IngestRequest } from "../../types.ts";
import type { HttpContext } from "../adapter.ts";
import type { SentryCrash } from "./event-to-crash.ts";

/**
 * A mapped Sentry event → the typed crash request the ingest pipeline runs (site, clean-up,
 * enrichment, visitor hash, scrubbing, fingerprint). The key proved the sender, so `auth` is set:
 * the bot filter lets SDK user agents through, and the project decides the site.
 */
export function crashRequest(mapped: SentryCrash, project: ProjectRef, http: Pick<HttpContext, "client" | "headers" | "receivedAt">): IngestRequest {
  const { url, eventId, environment, stackTrace, fingerprint, ...crash } = mapped;
  return {
    kind: "crash",
    client: http.client,
    headers: http.headers,
    receivedAt: http.receivedAt,
    auth: { projectId: String(project.id), sites: projectSites(project) },
    site: siteFor(project, url),
    url,
    pathname: null,
    referrer: null,
    crash: { ...crash, ...stackInText(mapped), stackTrace, fingerprint: fingerprint ?? null, eventId, environment },
  };
}

/**
 * Some SDKs and loggers send a stack only as text (a logged traceback as the message, an
 * exception whose value is a whole trace). When the event has no frames and the text parses as a
 * stack of any platform we know, it goes to the stack parsers like one sent to /api/crash.
 */
function stackInText(mapped: SentryCrash): { stack: string | null; errorType?: string; message?: string } {
  if (mapped.stackTrace.length > 0 || !mapped.message.includes("\n")) return { stack: null };
  const parsed = parseAnyStack(mapped.message, mapped.platform);
  if (parsed.frames.length === 0) return { stack: null };
  // A message event's stack names its exception ("ZeroDivisionError: division by zero").
  const named = mapped.errorType === "Message" ? parsed.exception : null;
  return { stack: mapped.message, ...(named ? { errorType: named.type, message: named.message } : {}) };
}

/** The page or request host when the project owns it, else the project's own site. */
export function siteFor(project: ProjectRef, url: string | null): string {
  if (url) {
    let host: string | null = null;
    try {
      host = normaliseSite(new URL(url).hostname);
    } catch {}
    if (host && projectSites(project).includes(host)) return host;
  }
  return siteForProject(project);
}
