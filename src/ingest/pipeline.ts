import { CRASH_FLOW, CRASH_REPORTED, CUSTOM_EVENT_FLOW, CUSTOM_EVENT_TRACKED, PAGEVIEW_FLOW, PAGEVIEW_TRACKED } from "../pathways/contracts/index.ts";
import type { LogEntry } from "../eventlog/local-log.ts";
import { hashVisitor } from "../privacy/visitor-hash.ts";
import type { SaltStore } from "../privacy/salt.ts";
import { buildCrash } from "./steps/build-crash.ts";
import { classifyReferrer } from "./steps/classify-referrer.ts";
import { dropBot } from "./steps/drop-bot.ts";
import { normalisePathname, stripUrl, utmFrom } from "./steps/normalise-url.ts";
import { parseClient } from "./steps/parse-client.ts";
import { resolveSite } from "./steps/resolve-site.ts";
import { Drop, type IngestRequest } from "./types.ts";

export interface PipelineDeps {
  salts: SaltStore;
  allowedSites: string[] | null;
  newId: () => string;
}

/**
 * Request → event payload, as named steps: bot filter → site → URL/referrer clean-up →
 * enrichment → visitor hash. Each step may drop the event with a reason. The raw IP and user
 * agent are read here and nowhere after: the payload carries only derived values.
 */
export async function runPipeline(req: IngestRequest, deps: PipelineDeps): Promise<LogEntry | Drop> {
  const { body, client, kind } = req;
  if (kind !== "crash") {
    const bot = dropBot(client.userAgent);
    if (bot) return bot;
  }
  const site = resolveSite(body.site, req.headers, deps.allowedSites);
  if (site instanceof Drop) return site;

  const url = typeof body.url === "string" ? body.url : null;
  const rawPath = typeof body.pathname === "string" ? body.pathname : url ? safePath(url) : "/";
  const pathname = normalisePathname(rawPath);
  const utm = utmFrom(url);
  const ref = classifyReferrer(body.referrer, site, utm.utmSource);
  const clientInfo = parseClient(client.userAgent);
  const salt = await deps.salts.saltFor(req.receivedAt);
  const visit = {
    ingestId: deps.newId(),
    site,
    pathname,
    ...ref,
    ...clientInfo,
    visitorHash: hashVisitor(salt, site, client.ip, client.userAgent),
    occurredAt: req.receivedAt.toISOString(),
  };

  // `eventName: "page_view"` on /api/event is the seed snippet's page view.
  if (kind === "pageview" || (kind === "custom_event" && body.eventName === "page_view")) {
    return {
      ingestId: visit.ingestId,
      flowType: PAGEVIEW_FLOW,
      eventType: PAGEVIEW_TRACKED,
      payload: { ...visit, url: stripUrl(url), title: typeof body.title === "string" ? body.title.slice(0, 512) : null, ...utm },
    };
  }
  if (kind === "custom_event") {
    return {
      ingestId: visit.ingestId,
      flowType: CUSTOM_EVENT_FLOW,
      eventType: CUSTOM_EVENT_TRACKED,
      payload: { ...visit, eventName: String(body.eventName), properties: (body.customProperties ?? body.props ?? {}) as Record<string, unknown> },
    };
  }
  return {
    ingestId: visit.ingestId,
    flowType: CRASH_FLOW,
    eventType: CRASH_REPORTED,
    payload: { ...visit, ...buildCrash(body), pathname: typeof body.pathname === "string" || url ? pathname : null },
  };
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "/";
  }
}
