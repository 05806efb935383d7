import { hashVisitor } from "../../privacy/visitor-hash.ts";
import type { IngestContext, Step } from "../context.ts";

/**
 * Step `hash_visitor`: the keyed hash of (site, IP, user agent) under the day's salt. The last
 * step that reads the raw IP and user agent; the event carries only this hash.
 */
export const hashVisitorStep: Step = (ctx, deps) => {
  // The day's salt is almost always in memory: then the step is synchronous (no queue turn).
  const salt = deps.salts.cached(ctx.req.receivedAt);
  if (salt) return withHash(ctx, salt);
  return deps.salts.saltFor(ctx.req.receivedAt).then((loaded) => withHash(ctx, loaded));
};

function withHash(ctx: IngestContext, salt: Buffer): IngestContext {
  ctx.visitorHash = hashVisitor(salt, ctx.site, ctx.req.client.ip, ctx.req.client.userAgent);
  return ctx;
}
