import { projectSites, siteForProject, type ProjectRef } from "../../../accounts/projects.ts";
import { normaliseSite } from "../../steps/resolve-site.ts";
import type { IngestRequest } from "../../types.ts";
import type { HttpContext } from "../adapter.ts";
import type { SentryCrash } from "./event-to-crash.ts";

/**
 * A mapped Sentry event → the typed crash request the ingest pipeline runs (site, clean-up,
 * enrichment, visitor hash, scrubbing, fingerprint). The key proved the sender, so `auth` is set:
 * the bot filter lets SDK user agents through, and the project decides the site.
 */
export function crashRequest(mapped: SentryCrash, project: ProjectRef, http: Omit<HttpContext, "request">): IngestRequest {
  const { url, eventId, environment, stackTrace, fingerprint, ...crash } = mapped;
  return {
    kind: "crash",
    client: http.client,
    headers: http.headers,
    receivedAt: http.receivedAt,
    auth: { projectId: String(project.id) },
    site: siteFor(project, url),
    url,
    pathname: null,
    referrer: null,
    crash: { ...crash, stack: null, stackTrace, fingerprint: fingerprint ?? null, eventId, environment },
  };
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
