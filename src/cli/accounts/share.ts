import { getProject } from "../../accounts/projects.ts";
import { shareUrl } from "../../accounts/public-url.ts";
import { createShare, listShares, revokeShare } from "../../accounts/shares.ts";
import { checkId } from "../../accounts/validate.ts";
import { str, table, UsageError, when, type Noun } from "./command.ts";

export const shareNoun: Noun = {
  summary: "read-only share links to one project's dashboard",
  verbs: {
    create: {
      args: "--project ID|SLUG [--name NAME] [--password-stdin]",
      summary: "create a share link; its URL is printed once",
      help: [
        "  --project P       the project to share (required)",
        "  --name NAME       a label for the list",
        "  --password-stdin  protect the link with a password read from stdin",
      ],
      options: { project: { type: "string" }, name: { type: "string" }, "password-stdin": { type: "boolean" } },
      async run(ctx, v) {
        if (!str(v.project)) throw new UsageError("--project is required");
        const password = v["password-stdin"] ? (await ctx.stdin()).replace(/\r?\n$/, "") : undefined;
        const { slug, record } = await createShare(await ctx.db(), str(v.project)!, { name: str(v.name), password });
        ctx.out(`Created share link ${record.id} "${record.name}" for project ${record.projectId}${record.hasPassword ? " (password protected)" : ""}. It is shown only now:`);
        ctx.out(shareUrl(ctx.config, slug));
      },
    },
    list: {
      args: "[--project ID|SLUG] [--json]",
      summary: "list share links (prefixes only)",
      options: { project: { type: "string" }, json: { type: "boolean" } },
      async run(ctx, v) {
        const { sql } = await ctx.db();
        const projectId = str(v.project) ? (await getProject(sql, str(v.project)!)).id : undefined;
        const shares = await listShares(sql, projectId);
        if (v.json) return ctx.out(JSON.stringify(shares, null, 2));
        if (shares.length === 0) return ctx.out("No share links.");
        for (const l of table(
          shares.map((s) => [
            s.id,
            s.projectId,
            s.name,
            s.prefix,
            s.hasPassword ? "yes" : "no",
            when(s.createdAt),
            when(s.lastUsedAt),
            s.revokedAt ? `revoked ${when(s.revokedAt)}` : "active",
          ]),
          ["ID", "PROJECT", "NAME", "SLUG", "PASSWORD", "CREATED", "LAST USED", "STATUS"],
        ))
          ctx.out(l);
      },
    },
    revoke: {
      args: "SHARE_ID",
      summary: "revoke a share link",
      positionals: { min: 1, max: 1 },
      async run(ctx, _v, [id]) {
        const s = await revokeShare(await ctx.db(), checkId(id, "share"));
        ctx.out(`Revoked share link ${s.id} "${s.name}" of project ${s.projectId}.`);
      },
    },
  },
};
