import { Type } from "@sinclair/typebox";
import { Elysia } from "elysia";
import { checkCsrf } from "../accounts/csrf.ts";
import type { AccountsDb } from "../accounts/db.ts";
import { createKey, listKeys, revokeKey } from "../accounts/keys.ts";
import { deleteProject, projectDataCounts, unregisteredSites } from "../accounts/project-data.ts";
import { createProject, getProject, listProjects, updateProject } from "../accounts/projects.ts";
import { authenticateReader, requireAdmin } from "../accounts/reader.ts";
import { createShare, listShares, revokeShare } from "../accounts/shares.ts";
import { createUser, deleteUser, getUser, grantProject, listUsers, revokeProject, setPassword, setRole } from "../accounts/users.ts";
import { checkId } from "../accounts/validate.ts";
import { shareUrl } from "../accounts/public-url.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { KeyBody, KeyOut, ProjectBody, ProjectOut, ProjectPatch, ShareBody, ShareOut, UserBody, UserPatch, UserWithProjectsOut, UserOut } from "./account-schemas.ts";
import { plain } from "./auth-routes.ts";
import { errorResponses } from "./error-docs.ts";

const Counts = Type.Record(Type.String(), Type.Integer(), { description: "rows per table" });

/**
 * /api/admin: projects, keys, share links, members and users, as JSON, for an admin's session
 * or admin-scope API token (an admin's read token may use the GETs). The dashboard is a client of
 * exactly this API; the CLI calls the same functions.
 */
export function adminRoutes(deps: Deps) {
  const { config } = deps;
  const db: AccountsDb = { sql: deps.database.sql, ensureSchema: deps.ensureSchema };
  const sql = db.sql;
  const admin = async (request: Request, write: boolean) => {
    if (write) checkCsrf(request, config.publicUrl);
    return requireAdmin(await authenticateReader(deps, request), write);
  };
  const read = ({ request }: { request: Request }) => admin(request, false).then(() => undefined);
  const write = ({ request }: { request: Request }) => admin(request, true).then(() => undefined);
  const errors = errorResponses(
    ...([
      "invalid_body",
      "unauthorized",
      "invalid_token",
      "setup_required",
      "forbidden",
      "csrf_rejected",
      "project_not_found",
      "key_not_found",
      "user_not_found",
      "share_not_found",
    ] as const),
    ...(["duplicate_slug", "duplicate_domain", "duplicate_key", "duplicate_email", "last_admin", "invalid_name", "invalid_slug", "invalid_domains", "invalid_timezone"] as const),
    ...(["invalid_settings", "invalid_email", "invalid_role", "invalid_id", "invalid_key_format", "invalid_user", "invalid_project_ids", "weak_password"] as const),
  );
  const projectId = (id: string) => getProject(sql, id).then((p) => p.id);
  const d = (summary: string, tag = "admin") => ({ summary, tags: [tag] });

  return new Elysia({ name: "admin" })
    .get("/api/admin/projects", async () => ({ projects: plain(await listProjects(sql)) }), {
      beforeHandle: read,
      response: { 200: Type.Object({ projects: Type.Array(ProjectOut) }), ...errors },
      detail: d("List projects"),
    })
    .post(
      "/api/admin/projects",
      async ({ body, set }) => {
        const { key: rawKey, ...input } = body;
        const { key, ...project } = await createProject(db, input, { name: "Default key", key: rawKey });
        set.status = 201;
        set.headers["cache-control"] = "no-store";
        return { project: plain(project), key };
      },
      {
        beforeHandle: write,
        body: ProjectBody,
        response: { 201: Type.Object({ project: ProjectOut, key: Type.String({ description: "the project's first public key (pk_<slug>_<16 hex>)" }) }), ...errors },
        detail: d("Create a project and its first public key"),
      },
    )
    .get(
      "/api/admin/projects/:id",
      async ({ params }) => {
        const project = await getProject(sql, params.id);
        return {
          project: plain(project),
          keys: plain(await listKeys(sql, project.id)),
          shares: plain(await listShares(sql, project.id)),
          data: await projectDataCounts(sql, project),
        };
      },
      {
        beforeHandle: read,
        response: { 200: Type.Object({ project: ProjectOut, keys: Type.Array(KeyOut), shares: Type.Array(ShareOut), data: Counts }), ...errors },
        detail: d("A project (by id or slug) with its keys, share links and how much data it has"),
      },
    )
    .patch("/api/admin/projects/:id", async ({ params, body }) => ({ project: plain(await updateProject(db, params.id, body)) }), {
      beforeHandle: write,
      body: ProjectPatch,
      response: { 200: Type.Object({ project: ProjectOut }), ...errors },
      detail: d("Rename a project, replace its domains, change its time zone or settings"),
    })
    .delete(
      "/api/admin/projects/:id",
      async ({ params }) => {
        const { project, deleted } = await deleteProject(db, params.id);
        return { project: plain(project), deleted };
      },
      {
        beforeHandle: write,
        response: { 200: Type.Object({ project: ProjectOut, deleted: Counts }), ...errors },
        detail: d("Delete a project with its keys, share links and data (GET it first to see how much)"),
      },
    )
    .get("/api/admin/projects/:id/keys", async ({ params }) => ({ keys: plain(await listKeys(sql, await projectId(params.id))) }), {
      beforeHandle: read,
      response: { 200: Type.Object({ keys: Type.Array(KeyOut) }), ...errors },
      detail: d("List a project's public keys (prefixes only)", "keys"),
    })
    .post(
      "/api/admin/projects/:id/keys",
      async ({ params, body, set }) => {
        const { key, record } = await createKey(db, params.id, body);
        set.status = 201;
        set.headers["cache-control"] = "no-store";
        return { key, record: plain(record) };
      },
      {
        beforeHandle: write,
        body: KeyBody,
        response: { 201: Type.Object({ key: Type.String({ description: "shown once" }), record: KeyOut }), ...errors },
        detail: d("Create a public key, or import one (`key`)", "keys"),
      },
    )
    .delete("/api/admin/projects/:id/keys/:keyId", async ({ params }) => ({ key: plain(await revokeKey(db, checkId(params.keyId, "keyId"), await projectId(params.id))) }), {
      beforeHandle: write,
      response: { 200: Type.Object({ key: KeyOut }), ...errors },
      detail: d("Revoke a public key (requests with it get 401)", "keys"),
    })
    .get("/api/admin/projects/:id/shares", async ({ params }) => ({ shares: plain(await listShares(sql, await projectId(params.id))) }), {
      beforeHandle: read,
      response: { 200: Type.Object({ shares: Type.Array(ShareOut) }), ...errors },
      detail: d("List a project's share links", "shares"),
    })
    .post(
      "/api/admin/projects/:id/shares",
      async ({ params, body, set }) => {
        const { slug, record } = await createShare(db, params.id, body);
        set.status = 201;
        set.headers["cache-control"] = "no-store";
        return { slug, url: shareUrl(config, slug), record: plain(record) };
      },
      {
        beforeHandle: write,
        body: ShareBody,
        response: { 201: Type.Object({ slug: Type.String({ description: "shown once" }), url: Type.String(), record: ShareOut }), ...errors },
        detail: d("Create a read-only share link (optional password); its URL is in this response only", "shares"),
      },
    )
    .delete(
      "/api/admin/projects/:id/shares/:shareId",
      async ({ params }) => ({ share: plain(await revokeShare(db, checkId(params.shareId, "shareId"), await projectId(params.id))) }),
      {
        beforeHandle: write,
        response: { 200: Type.Object({ share: ShareOut }), ...errors },
        detail: d("Revoke a share link", "shares"),
      },
    )
    .put(
      "/api/admin/projects/:id/members/:userId",
      async ({ params }) => {
        await grantProject(db, checkId(params.userId, "userId"), await projectId(params.id));
        return { granted: true };
      },
      { beforeHandle: write, response: { 200: Type.Object({ granted: Type.Boolean() }), ...errors }, detail: d("Let a viewer read this project", "users") },
    )
    .delete("/api/admin/projects/:id/members/:userId", async ({ params }) => ({ revoked: await revokeProject(db, checkId(params.userId, "userId"), await projectId(params.id)) }), {
      beforeHandle: write,
      response: { 200: Type.Object({ revoked: Type.Boolean() }), ...errors },
      detail: d("Stop a viewer reading this project", "users"),
    })
    .get("/api/admin/sites", async () => ({ sites: await unregisteredSites(sql) }), {
      beforeHandle: read,
      response: { 200: Type.Object({ sites: Type.Array(Type.Object({ site: Type.String(), pageviews: Type.Integer() })) }), ...errors },
      detail: d("Sites with page views that belong to no project yet (zero-config traffic), most viewed first"),
    })
    .get("/api/admin/users", async () => ({ users: plain(await listUsers(sql)) }), {
      beforeHandle: read,
      response: { 200: Type.Object({ users: Type.Array(UserWithProjectsOut) }), ...errors },
      detail: d("List users and viewers' projects", "users"),
    })
    .post(
      "/api/admin/users",
      async ({ body, set }) => {
        const projectIds = body.projectIds ?? [];
        if (body.role === "admin" && projectIds.length) throw new AppError(422, "invalid_project_ids", "projectIds: admins read every project; grants are for viewers");
        for (const id of projectIds) await getProject(sql, id);
        const user = await createUser(db, body);
        for (const id of projectIds) await grantProject(db, user.id, id);
        set.status = 201;
        return { user: plain(user) };
      },
      { beforeHandle: write, body: UserBody, response: { 201: Type.Object({ user: UserOut }), ...errors }, detail: d("Create a user (admin or viewer)", "users") },
    )
    .patch(
      "/api/admin/users/:id",
      async ({ params, body }) => {
        const id = checkId(params.id, "id");
        if (body.role !== undefined) await setRole(db, id, body.role);
        if (body.password !== undefined) await setPassword(db, id, body.password);
        return { user: plain(await getUser(sql, id)) };
      },
      {
        beforeHandle: write,
        body: UserPatch,
        response: { 200: Type.Object({ user: UserOut }), ...errors },
        detail: d("Change a user's role or password (a new password ends their sessions)", "users"),
      },
    )
    .delete("/api/admin/users/:id", async ({ params }) => ({ user: plain(await deleteUser(db, checkId(params.id, "id"))) }), {
      beforeHandle: write,
      response: { 200: Type.Object({ user: UserOut }), ...errors },
      detail: d("Delete a user with their sessions and tokens (never the last admin)", "users"),
    });
}
