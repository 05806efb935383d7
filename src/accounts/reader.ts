import type { Clock } from "../clock.ts";
import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { readCookie, SESSION_COOKIE, SHARE_COOKIE } from "./cookies.ts";
import { findProject, listProjects, projectForSite, type Project } from "./projects.ts";
import { sessionFromToken } from "./sessions.ts";
import { shareFromSessionToken, shareFromSlug } from "./shares.ts";
import { tokenFromBearer } from "./tokens.ts";
import { anyUserExists, memberProjectIds, type User } from "./users.ts";

/** Who is reading, and what they may read. */
export type Principal = { kind: "session"; user: User; sessionId: number } | { kind: "token"; user: User; tokenId: number } | { kind: "share"; shareId: number; projectId: number };

export interface Reader {
  principal: Principal;
  /** Reads every site, registered to a project or not. */
  isAdmin: boolean;
  /** `admin` may also change things (admin API); `read` may only read. */
  scope: "read" | "admin";
  canRead(site: string): Promise<boolean>;
  /** The projects this reader may see. */
  projects(): Promise<Project[]>;
}

export interface ReaderDeps {
  database: { sql: Sql };
  clock: Clock;
}

/**
 * The reader behind a request: an `Authorization: Bearer <token>` API token, a session cookie,
 * or a share link (`?auth=<slug>`, or the share cookie set by unlocking a password-protected
 * link). Throws 401; while no user exists at all every read is refused (`setup_required`), so a
 * fresh install is never open to the world.
 */
export async function authenticateReader(deps: ReaderDeps, request: Request): Promise<Reader> {
  const { sql } = deps.database;
  const now = deps.clock();
  const auth = request.headers.get("authorization")?.trim() ?? "";
  if (auth) {
    const m = /^bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw new AppError(401, "invalid_token", "Authorization must be `Bearer <API token>`");
    if (m[1]!.startsWith("pk_")) throw new AppError(401, "invalid_token", "a public key can only send events; reading needs an API token, a login or a share link");
    const found = await tokenFromBearer(sql, m[1]!);
    if (!found) throw new AppError(401, "invalid_token", "the API token is unknown or revoked");
    return userReader(sql, { kind: "token", user: found.user, tokenId: found.token.id }, found.token.scope);
  }
  const sessionToken = readCookie(request, SESSION_COOKIE);
  if (sessionToken) {
    const found = await sessionFromToken(sql, sessionToken, now);
    if (found) return userReader(sql, { kind: "session", user: found.user, sessionId: found.session.id }, "admin");
  }
  const slug = new URL(request.url).searchParams.get("auth");
  const shareToken = readCookie(request, SHARE_COOKIE);
  if (slug || shareToken) {
    if (!(await anyUserExists(sql))) throw setupRequired();
    if (slug) {
      const found = await shareFromSlug(sql, slug);
      if (!found) throw new AppError(401, "invalid_share", "this share link does not exist or was revoked");
      if (found.status === "open") return shareReader(sql, found.share.id, found.share.projectId);
      const unlocked = shareToken ? await shareFromSessionToken(sql, shareToken, now) : null;
      if (unlocked?.id === found.share.id) return shareReader(sql, unlocked.id, unlocked.projectId);
      throw new AppError(401, "password_required", "this share link is protected by a password: POST it to /api/auth/share");
    }
    const unlocked = await shareFromSessionToken(sql, shareToken!, now);
    if (unlocked) return shareReader(sql, unlocked.id, unlocked.projectId);
  }
  if (!(await anyUserExists(sql))) throw setupRequired();
  throw new AppError(401, "unauthorized", "log in, or send Authorization: Bearer <API token>, or open a share link");
}

const setupRequired = () => new AppError(401, "setup_required", "no user exists yet: create the first admin with `bun run cli user create` or ADMIN_EMAIL/ADMIN_PASSWORD");

function userReader(sql: Sql, principal: Principal & { user: User }, scope: "read" | "admin"): Reader {
  const isAdmin = principal.user.role === "admin";
  let members: Promise<Set<number>> | null = null;
  const memberIds = () => (members ??= memberProjectIds(sql, principal.user.id).then((ids) => new Set(ids)));
  return {
    principal,
    isAdmin,
    // A token never outranks its user: a viewer's session or token only reads.
    scope: isAdmin ? scope : "read",
    async canRead(site) {
      if (isAdmin) return true;
      const p = await projectForSite(sql, site);
      return p !== null && (await memberIds()).has(p.id);
    },
    async projects() {
      const all = await listProjects(sql);
      if (isAdmin) return all;
      const ids = await memberIds();
      return all.filter((p) => ids.has(p.id));
    },
  };
}

function shareReader(sql: Sql, shareId: number, projectId: number): Reader {
  return {
    principal: { kind: "share", shareId, projectId },
    isAdmin: false,
    scope: "read",
    async canRead(site) {
      return (await projectForSite(sql, site))?.id === projectId;
    },
    async projects() {
      const p = await findProject(sql, projectId);
      return p ? [p] : [];
    },
  };
}

/**
 * Admin API guard: an admin (signed in, or by token). A change (`write`) also needs the admin
 * scope, so an admin's read token can look but not touch. 403 for everyone else.
 */
export function requireAdmin(reader: Reader, write: boolean): Reader & { principal: { user: User } } {
  if (reader.principal.kind === "share" || !reader.isAdmin) throw new AppError(403, "forbidden", "this needs an admin");
  if (write && reader.scope !== "admin") throw new AppError(403, "forbidden", "this token has the read scope; changes need an admin-scope token");
  return reader as Reader & { principal: { user: User } };
}
