import { crashReported, type CrashReported } from "../pathways/contracts/crash.v0.ts";
import { customEventTracked, type CustomEventTracked } from "../pathways/contracts/custom-event.v0.ts";
import { pageviewTracked, type PageviewTracked } from "../pathways/contracts/pageview.v0.ts";
import { webVitalsMeasured, type WebVitalsMeasured } from "../pathways/contracts/web-vitals.v0.ts";
import { newContext, type IngestContext, type PipelineDeps, type Step } from "./context.ts";
import { buildCrash } from "./steps/build-crash.ts";
import { checkProjectStep } from "./steps/check-project.ts";
import { classifyReferrerStep } from "./steps/classify-referrer.ts";
import { dropBotStep } from "./steps/drop-bot.ts";
import { hashVisitorStep } from "./steps/hash-visitor.ts";
import { lookupCountryStep } from "./steps/lookup-country.ts";
import { cleanUrlStep } from "./steps/normalise-url.ts";
import { parseClientStep } from "./steps/parse-client.ts";
import { resolveSiteStep } from "./steps/resolve-site.ts";
import { Drop, type IngestRequest } from "./types.ts";

export type { PipelineDeps } from "./context.ts";

/**
 * The ingest pipeline as data: named steps run in this order, each timed into
 * `analytics_ingest_step_seconds{step}`, each may drop the event with a reason from the closed
 * list in types.ts. A new step is a file in steps/ and a line here.
 */
export const STEPS = [
  ["drop_bot", dropBotStep],
  ["resolve_site", resolveSiteStep],
  ["check_project", checkProjectStep],
  ["clean_url", cleanUrlStep],
  ["classify_referrer", classifyReferrerStep],
  ["parse_client", parseClientStep],
  ["lookup_country", lookupCountryStep],
  ["hash_visitor", hashVisitorStep],
] as const satisfies readonly (readonly [string, Step])[];
export type StepName = (typeof STEPS)[number][0];

/** What the pipeline produces: a domain event of one contract. The event log wraps it for storage. */
export type IngestedEvent =
  | { contract: typeof pageviewTracked; payload: PageviewTracked }
  | { contract: typeof customEventTracked; payload: CustomEventTracked }
  | { contract: typeof crashReported; payload: CrashReported }
  | { contract: typeof webVitalsMeasured; payload: WebVitalsMeasured };

/**
 * Typed request → domain event, or a drop. The pipeline does not know which wire format the
 * request came in (adapters/) nor how the event is stored (eventlog/).
 */
export async function runPipeline(req: IngestRequest, deps: PipelineDeps): Promise<IngestedEvent | Drop> {
  let ctx = newContext(req);
  for (const [name, step] of STEPS) {
    const t0 = performance.now();
    const out = step(ctx, deps);
    const r = out instanceof Promise ? await out : out;
    deps.observeStep?.(name, (performance.now() - t0) / 1000);
    if (r instanceof Drop) return r;
    ctx = r;
  }
  return toEvent(ctx, deps.newId());
}

/** The context, fully derived, as the payload of the request's contract. */
export function toEvent(ctx: IngestContext, ingestId: string): IngestedEvent {
  const { req } = ctx;
  const visit = {
    ingestId,
    site: ctx.site,
    pathname: ctx.pathname,
    ...ctx.referrer,
    ...ctx.client,
    country: ctx.country,
    visitorHash: ctx.visitorHash,
    occurredAt: req.receivedAt.toISOString(),
    ...(ctx.projectId !== null ? { projectId: ctx.projectId } : {}),
  };
  switch (req.kind) {
    case "pageview":
      return { contract: pageviewTracked, payload: { ...visit, url: ctx.url, title: req.title, ...ctx.utm } };
    case "custom_event":
      return { contract: customEventTracked, payload: { ...visit, eventName: req.eventName, properties: req.properties } };
    case "crash":
      // A crash from an app has no page: pathname stays null unless one was sent.
      return { contract: crashReported, payload: { ...visit, ...buildCrash(req.crash), pathname: req.pathname !== null || req.url ? ctx.pathname : null } };
    case "vitals":
      return { contract: webVitalsMeasured, payload: { ...visit, ...req.vitals } };
  }
}
