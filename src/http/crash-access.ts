import { checkCsrf } from "../accounts/csrf.ts";
import { getProject, projectSites } from "../accounts/projects.ts";
import { authenticateReader, requireAdmin } from "../accounts/reader.ts";
import type { Deps } from "../deps.ts";
import type { CrashAccess } from "./crash-routes.ts";

/**
 * Crash triage's rules, on accounts: anyone who may read a site (an admin, a viewer who is a
 * member of its project, a share link of its project) may read its crash groups; changing a
 * status, deleting a group and managing webhooks take an admin — signed in, or with an
 * admin-scope API token (a read token only reads) — and a browser request must pass the CSRF check.
 */
export function crashAccess(deps: Deps): CrashAccess {
  return {
    async readableSites(request) {
      const reader = await authenticateReader(deps, request);
      const sites = reader.isAdmin ? null : (await reader.projects()).flatMap(projectSites);
      return { sites, canRead: (site) => reader.canRead(site) };
    },
    async requireTriager(request) {
      checkCsrf(request, deps.config.publicUrl);
      requireAdmin(await authenticateReader(deps, request), true);
    },
    async projectId(idOrSlug) {
      return (await getProject(deps.database.sql, idOrSlug)).id;
    },
  };
}
