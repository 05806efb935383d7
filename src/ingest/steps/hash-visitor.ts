import { hashVisitor } from "../../privacy/visitor-hash.ts";
import type { Step } from "../context.ts";

/**
 * Step `hash_visitor`: the keyed hash of (site, IP, user agent) under the day's salt. The last
 * step that reads the raw IP and user agent; the event carries only this hash.
 */
export const hashVisitorStep: Step = async (ctx, deps) => {
  const salt = await deps.salts.saltFor(ctx.req.receivedAt);
  ctx.visitorHash = hashVisitor(salt, ctx.site, ctx.req.client.ip, ctx.req.client.userAgent);
  return ctx;
};
