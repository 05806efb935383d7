import { Elysia, t } from "elysia";
import { projectForSite } from "../accounts/projects.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { buildFeedbackEvent } from "../feedback/build-feedback-event.ts";
import { feedbackSubmitted } from "../pathways/contracts/feedback.v0.ts";
import { FEEDBACK_MESSAGE_MAX } from "../feedback/feedback-input.ts";
import { eventId } from "../ingest/adapters/sentry/clean.ts";
import { dropBot } from "../ingest/steps/drop-bot.ts";
import { resolveSite } from "../ingest/steps/resolve-site.ts";
import { Drop } from "../ingest/types.ts";
import { oasisFeedbackRoute } from "./oasis-feedback-route.ts";
import { readJsonBody } from "./read-body.ts";
import { AcceptedResponse, DroppedResponse, ErrorResponse } from "./schemas.ts";

export const FeedbackBody = t.Object(
  {
    category: t.Union([t.Literal("bug"), t.Literal("feature"), t.Literal("general")], { description: "bug, feature or general" }),
    message: t.String({ minLength: 1, maxLength: FEEDBACK_MESSAGE_MAX, description: `What the person wrote (≤ ${FEEDBACK_MESSAGE_MAX} characters)` }),
    email: t.Optional(t.String({ maxLength: 254, pattern: "^[^\\s@]+@[^\\s@]+$", description: "Only when the person typed it, so someone can answer" })),
    url: t.Optional(t.String({ maxLength: 4096, description: "The page it was sent from; the query string is not stored" })),
    release: t.Optional(t.String({ maxLength: 200 })),
    platform: t.Optional(t.String({ maxLength: 100 })),
    associated_event_id: t.Optional(t.String({ maxLength: 36, description: "The crash this is about: a crash id from /api/crash or a Sentry event id" })),
    site: t.Optional(t.String({ maxLength: 253, description: "Default: host of Origin, else of Referer" })),
  },
  { description: "Feedback from a person (a form in your app or site)" },
);

/**
 * `POST /api/feedback`: a person's bug report, idea or comment. Like every ingest endpoint it
 * answers 202 only once the feedback is durable; bots are dropped (feedback forms attract spam).
 * No visitor hash and no client details are stored with feedback. Seed 002's SDK route
 * (`/sdk/:app_slug/feedback`) comes with it.
 */
export function feedbackRoutes(deps: Deps) {
  const { config, eventLog, metrics, clock, database } = deps;
  const newId = deps.newId ?? (() => Bun.randomUUIDv7());
  return new Elysia({ name: "feedback" }).use(oasisFeedbackRoute(deps)).post(
    "/api/feedback",
    async ({ body, request, set }) => {
      const bot = dropBot(request.headers.get("user-agent") ?? "");
      const site = bot ?? resolveSite(body.site ?? null, { origin: request.headers.get("origin"), referer: request.headers.get("referer") }, config.allowedSites);
      if (site instanceof Drop && site.reason === "missing_site")
        throw new AppError(422, "missing_site", "cannot tell which site this feedback is for: send `site` in the body, or an Origin/Referer header");
      if (site instanceof Drop) {
        metrics.dropped.inc({ type: "feedback", reason: site.reason });
        set.status = 200;
        return { accepted: false as const, reason: site.reason };
      }
      if (body.message.trim() === "") throw new AppError(422, "invalid_body", "message: write at least one character that is not white space");
      const associated = body.associated_event_id === undefined ? null : eventId(body.associated_event_id);
      if (body.associated_event_id !== undefined && !associated)
        throw new AppError(422, "invalid_body", "associated_event_id: a crash id (UUID) or a Sentry event id (32 hex digits) is required");
      const project = await projectForSite(database.sql, site);
      const entry = buildFeedbackEvent(
        {
          category: body.category,
          message: body.message.trim(),
          email: body.email?.trim() || null,
          url: body.url ?? null,
          release: body.release ?? null,
          platform: body.platform ?? null,
          environment: null,
          associatedEventId: associated,
          source: "api",
        },
        { ingestId: newId(), site, projectId: project?.id ?? null, receivedAt: clock() },
      );
      await eventLog.append(entry);
      metrics.ingested.inc({ type: feedbackSubmitted.label });
      set.status = 202;
      return { accepted: true as const, id: entry.ingestId };
    },
    {
      parse: ({ request }) => readJsonBody(request, config.maxBodyBytes),
      body: FeedbackBody,
      response: { 202: AcceptedResponse, 200: DroppedResponse, 400: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse, 422: ErrorResponse, 503: ErrorResponse },
      detail: { summary: "Send feedback (bug, feature or general)", tags: ["ingest"] },
    },
  );
}
