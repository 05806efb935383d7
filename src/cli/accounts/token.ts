import { AppError } from "../../errors.ts";
import { createToken, listTokens, revokeToken } from "../../accounts/tokens.ts";
import { getUser, listUsers } from "../../accounts/users.ts";
import { checkId } from "../../accounts/validate.ts";
import { str, table, UsageError, when, type Noun } from "./command.ts";

export const tokenNoun: Noun = {
  summary: "API tokens for the stats and admin APIs (Authorization: Bearer <token>)",
  verbs: {
    create: {
      args: "--name NAME [--scope read|admin] [--user ID|EMAIL]",
      summary: "create a token; it is printed once, alone on the last line",
      help: ["  --name NAME     what it is for, e.g. grafana (required)", "  --scope SCOPE   read (default) or admin", "  --user U        the owner (default: the first admin)"],
      options: { name: { type: "string" }, scope: { type: "string" }, user: { type: "string" } },
      async run(ctx, v) {
        if (!str(v.name)) throw new UsageError("--name is required");
        const db = await ctx.db();
        const user = str(v.user) ? await getUser(db.sql, str(v.user)!) : (await listUsers(db.sql)).find((u) => u.role === "admin");
        if (!user) throw new AppError(404, "user_not_found", "user: no admin exists yet; create one with `bun run cli user create --email EMAIL`");
        const { token, record } = await createToken(db, user, { name: str(v.name), scope: str(v.scope) });
        ctx.out(`Created ${record.scope} token ${record.id} "${record.name}" for <${user.email}>. It is shown only now:`);
        ctx.out(token);
      },
    },
    list: {
      args: "[--user ID|EMAIL] [--json]",
      summary: "list tokens (prefixes, scopes, last use; never the tokens)",
      options: { user: { type: "string" }, json: { type: "boolean" } },
      async run(ctx, v) {
        const { sql } = await ctx.db();
        const userId = str(v.user) ? (await getUser(sql, str(v.user)!)).id : undefined;
        const tokens = await listTokens(sql, userId);
        if (v.json) return ctx.out(JSON.stringify(tokens, null, 2));
        if (tokens.length === 0) return ctx.out("No tokens.");
        for (const l of table(
          tokens.map((k) => [k.id, k.userId, k.name, k.scope, k.prefix, when(k.createdAt), when(k.lastUsedAt), k.revokedAt ? `revoked ${when(k.revokedAt)}` : "active"]),
          ["ID", "USER", "NAME", "SCOPE", "TOKEN", "CREATED", "LAST USED", "STATUS"],
        ))
          ctx.out(l);
      },
    },
    revoke: {
      args: "TOKEN_ID",
      summary: "revoke a token: requests with it get 401 from then on",
      positionals: { min: 1, max: 1 },
      async run(ctx, _v, [id]) {
        const t = await revokeToken(await ctx.db(), checkId(id, "token"));
        ctx.out(`Revoked token ${t.id} "${t.name}" (${t.prefix}).`);
      },
    },
  },
};
