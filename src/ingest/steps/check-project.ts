import { AppError } from "../../errors.ts";
import type { Step } from "../context.ts";
import { Drop } from "../types.ts";

/**
 * Step `check_project`, after resolve_site. A keyed event must be for one of its project's sites
 * (its domains or its slug): a key used for another project's data is refused with 403 rather
 * than quietly stored where its owner would not look. An anonymous event passes, unless
 * REGISTERED_SITES_ONLY asks for sites of registered projects only.
 */
export const checkProjectStep: Step = (ctx, deps) => {
  const auth = ctx.req.auth;
  if (auth) {
    if (!auth.sites.includes(ctx.site)) {
      throw new AppError(403, "wrong_project", `site: "${ctx.site}" does not belong to this key's project (its sites: ${auth.sites.join(", ")})`);
    }
    ctx.projectId = Number(auth.projectId);
    return ctx;
  }
  // Synchronous unless a lookup is needed: an await per event is a queue turn under load.
  if (!deps.isRegisteredSite) return ctx;
  return deps.isRegisteredSite(ctx.site).then((known) => (known ? ctx : new Drop("unknown_site")));
};
