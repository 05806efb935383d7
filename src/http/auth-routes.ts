import { Type } from "@sinclair/typebox";
import { Elysia } from "elysia";
import { clearedCookie, credentialCookie, isHttps, SESSION_COOKIE, SHARE_COOKIE } from "../accounts/cookies.ts";
import { checkCsrf } from "../accounts/csrf.ts";
import type { AccountsDb } from "../accounts/db.ts";
import { createLoginLimiter } from "../accounts/login-limiter.ts";
import { authenticateReader, type Reader } from "../accounts/reader.ts";
import { createSession, listSessions, revokeSession, SESSION_DAYS } from "../accounts/sessions.ts";
import { SHARE_SESSION_DAYS, unlockShare } from "../accounts/shares.ts";
import { createToken, listTokens, revokeToken } from "../accounts/tokens.ts";
import { verifyCredentials, type User } from "../accounts/users.ts";
import { checkId } from "../accounts/validate.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { parseClient } from "../ingest/steps/parse-client.ts";
import { ProjectOut, SessionOut, ShareUnlockBody, TokenBody, TokenOut, UserOut, LoginBody } from "./account-schemas.ts";
import { clientIp } from "./client-ip.ts";
import { errorResponses } from "./error-docs.ts";

/** JSON-ready copy (dates as ISO strings), so responses match their documented schema. */
export type Json<T> = T extends Date ? string : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;
export const plain = <T>(v: T): Json<T> => JSON.parse(JSON.stringify(v));

/** The signed-in user behind a reader, or 403 for a share link. */
export function userOf(reader: Reader): User {
  if (reader.principal.kind === "share") throw new AppError(403, "forbidden", "a share link can only read its project");
  return reader.principal.user;
}

/**
 * /api/auth: login and logout (server-side sessions in an HttpOnly, SameSite=Lax cookie), who am
 * I, the caller's sessions and API tokens, and unlocking a password-protected share link.
 */
export function authRoutes(deps: Deps) {
  const { config, clock } = deps;
  const db: AccountsDb = { sql: deps.database.sql, ensureSchema: deps.ensureSchema };
  const limiter = createLoginLimiter(clock);
  const secure = (r: Request) => isHttps(r, { trustProxy: config.trustProxy.kind !== "none", publicUrl: config.publicUrl });
  const reader = (r: Request) => authenticateReader(deps, r);
  /** A change made by the caller: CSRF-checked, and a read-scope token may not make it. */
  const writer = async (r: Request) => {
    checkCsrf(r, config.publicUrl);
    const rd = await reader(r);
    if (rd.scope !== "admin" && rd.principal.kind === "token") throw new AppError(403, "forbidden", "this token has the read scope and cannot change anything");
    return rd;
  };
  const errors = errorResponses(
    "invalid_body",
    "unauthorized",
    "invalid_token",
    "invalid_credentials",
    "invalid_share",
    "password_required",
    "setup_required",
    "forbidden",
    "csrf_rejected",
    "session_not_found",
    "token_not_found",
    "invalid_name",
    "invalid_scope",
    "invalid_id",
    "too_many_attempts",
  );
  const tags = ["auth"];

  return new Elysia({ name: "auth" })
    .post(
      "/api/auth/login",
      async ({ body, request, server, set }) => {
        checkCsrf(request, config.publicUrl);
        const ip = clientIp(request, server?.requestIP(request)?.address ?? null, config.trustProxy);
        const keys = [`client:${ip}`, `account:${body.email.trim().toLowerCase()}`];
        const wait = limiter.retryAfter(keys);
        if (wait > 0) throw new AppError(429, "too_many_attempts", `too many failed logins; retry in ${wait} s`, { "retry-after": String(wait) });
        const user = await verifyCredentials(db.sql, body.email, body.password);
        if (!user) {
          limiter.failed(keys);
          // One answer for an unknown email and a wrong password.
          throw new AppError(401, "invalid_credentials", "the email or password is wrong");
        }
        limiter.succeeded(keys[1]!);
        const ua = parseClient(request.headers.get("user-agent") ?? "");
        const label = ua.browser ? `${ua.browser}${ua.os ? ` on ${ua.os}` : ""}` : null;
        const { token } = await createSession(db, user.id, label, clock());
        set.headers["set-cookie"] = credentialCookie(SESSION_COOKIE, token, SESSION_DAYS * 86_400, secure(request));
        set.headers["cache-control"] = "no-store";
        return { user: plain(user) };
      },
      {
        body: LoginBody,
        response: { 200: Type.Object({ user: UserOut }), ...errors },
        detail: { summary: "Log in: sets the session cookie (30 days). Failures are rate-limited per client and account", tags },
      },
    )
    .post(
      "/api/auth/logout",
      async ({ request, set }) => {
        checkCsrf(request, config.publicUrl);
        const rd = await reader(request).catch(() => null);
        if (rd?.principal.kind === "session") await revokeSession(db, rd.principal.user.id, rd.principal.sessionId).catch(() => {});
        set.headers["set-cookie"] = clearedCookie(SESSION_COOKIE, secure(request));
        return { loggedOut: true };
      },
      { response: { 200: Type.Object({ loggedOut: Type.Boolean() }), ...errors }, detail: { summary: "Log out: ends this session and clears the cookie", tags } },
    )
    .get(
      "/api/auth/me",
      async ({ request }) => {
        const rd = await reader(request);
        const projects = plain(await rd.projects());
        const p = rd.principal;
        return { kind: p.kind, user: p.kind === "share" ? null : plain(p.user), isAdmin: rd.isAdmin, scope: rd.scope, projects };
      },
      {
        response: {
          200: Type.Object({
            kind: Type.Union([Type.Literal("session"), Type.Literal("token"), Type.Literal("share")]),
            user: Type.Union([UserOut, Type.Null()]),
            isAdmin: Type.Boolean(),
            scope: Type.Union([Type.Literal("read"), Type.Literal("admin")]),
            projects: Type.Array(ProjectOut),
          }),
          ...errors,
        },
        detail: { summary: "Who is calling (session, API token or share link), and the projects they may read", tags },
      },
    )
    .get(
      "/api/auth/sessions",
      async ({ request }) => {
        const rd = await reader(request);
        const current = rd.principal.kind === "session" ? rd.principal.sessionId : null;
        const sessions = await listSessions(db.sql, userOf(rd).id, clock());
        return { sessions: plain(sessions.map(({ userId: _, ...s }) => ({ ...s, current: s.id === current }))) };
      },
      { response: { 200: Type.Object({ sessions: Type.Array(SessionOut) }), ...errors }, detail: { summary: "The caller's live sessions", tags } },
    )
    .delete(
      "/api/auth/sessions/:id",
      async ({ request, params }) => {
        const rd = await writer(request);
        await revokeSession(db, userOf(rd).id, checkId(params.id, "id"));
        return { revoked: true };
      },
      { response: { 200: Type.Object({ revoked: Type.Boolean() }), ...errors }, detail: { summary: "End one of the caller's sessions (sign out that device)", tags } },
    )
    .get("/api/auth/tokens", async ({ request }) => ({ tokens: plain(await listTokens(db.sql, userOf(await reader(request)).id)) }), {
      response: { 200: Type.Object({ tokens: Type.Array(TokenOut) }), ...errors },
      detail: { summary: "The caller's API tokens (never the tokens themselves)", tags },
    })
    .post(
      "/api/auth/tokens",
      async ({ request, body, set }) => {
        const user = userOf(await writer(request));
        const { token, record } = await createToken(db, user, body);
        set.status = 201;
        set.headers["cache-control"] = "no-store";
        return { token, record: plain(record) };
      },
      {
        body: TokenBody,
        response: { 201: Type.Object({ token: Type.String({ description: "shown once; send it as Authorization: Bearer <token>" }), record: TokenOut }), ...errors },
        detail: { summary: "Create an API token (read or admin scope; viewers: read only). The token is in this response only", tags },
      },
    )
    .delete(
      "/api/auth/tokens/:id",
      async ({ request, params }) => {
        const user = userOf(await writer(request));
        return { token: plain(await revokeToken(db, checkId(params.id, "id"), user.id)) };
      },
      { response: { 200: Type.Object({ token: TokenOut }), ...errors }, detail: { summary: "Revoke one of the caller's API tokens", tags } },
    )
    .post(
      "/api/auth/share",
      async ({ request, body, server, set }) => {
        checkCsrf(request, config.publicUrl);
        const ip = clientIp(request, server?.requestIP(request)?.address ?? null, config.trustProxy);
        const keys = [`client:${ip}`, `share:${body.slug}`];
        const wait = limiter.retryAfter(keys);
        if (wait > 0) throw new AppError(429, "too_many_attempts", `too many failed attempts; retry in ${wait} s`, { "retry-after": String(wait) });
        const unlocked = await unlockShare(db, body.slug, body.password, clock());
        if (!unlocked) {
          limiter.failed(keys);
          throw new AppError(401, "invalid_credentials", "the share link or its password is wrong");
        }
        set.headers["set-cookie"] = credentialCookie(SHARE_COOKIE, unlocked.token, SHARE_SESSION_DAYS * 86_400, secure(request));
        return { projectId: unlocked.share.projectId };
      },
      {
        body: ShareUnlockBody,
        response: { 200: Type.Object({ projectId: Type.Integer() }), ...errors },
        detail: { summary: "Unlock a password-protected share link (sets the share cookie)", tags },
      },
    );
}
