import { createKey, listKeys, revokeKey } from "../../accounts/keys.ts";
import { getProject } from "../../accounts/projects.ts";
import { checkId } from "../../accounts/validate.ts";
import { str, table, UsageError, when, type Noun } from "./command.ts";
import { dsnFor } from "../../accounts/public-url.ts";

export const keyNoun: Noun = {
  summary: "public ingest keys (pk_<slug>_<16 hex>) of a project",
  verbs: {
    create: {
      args: "--project ID|SLUG [--name NAME] [--key K]",
      summary: "create a key (or import one with --key); prints it once, with its DSN",
      options: { project: { type: "string" }, name: { type: "string" }, key: { type: "string" } },
      async run(ctx, v) {
        if (!str(v.project)) throw new UsageError("--project is required");
        const { key, record } = await createKey(await ctx.db(), str(v.project)!, { name: str(v.name), key: str(v.key) });
        ctx.out(`Created key ${record.id} "${record.name}" for project ${record.projectId}${v.key ? " (imported)" : ""}.`);
        ctx.out(`DSN: ${dsnFor(ctx.config, key, record.projectId)}`);
        ctx.out(`Public key: ${key}`);
      },
    },
    list: {
      args: "[--project ID|SLUG] [--json]",
      summary: "list keys (never the keys themselves: a prefix, name and times)",
      options: { project: { type: "string" }, json: { type: "boolean" } },
      async run(ctx, v) {
        const { sql } = await ctx.db();
        const projectId = str(v.project) ? (await getProject(sql, str(v.project)!)).id : undefined;
        const keys = await listKeys(sql, projectId);
        if (v.json) return ctx.out(JSON.stringify(keys, null, 2));
        if (keys.length === 0) return ctx.out("No keys.");
        for (const l of table(
          keys.map((k) => [k.id, k.projectId, k.name, k.prefix, when(k.createdAt), when(k.lastUsedAt), k.revokedAt ? `revoked ${when(k.revokedAt)}` : "active"]),
          ["ID", "PROJECT", "NAME", "KEY", "CREATED", "LAST USED", "STATUS"],
        ))
          ctx.out(l);
      },
    },
    revoke: {
      args: "KEY_ID",
      summary: "revoke a key: requests carrying it get 401 from then on",
      positionals: { min: 1, max: 1 },
      async run(ctx, _v, [id]) {
        const k = await revokeKey(await ctx.db(), checkId(id, "key"));
        ctx.out(`Revoked key ${k.id} "${k.name}" (${k.prefix}) of project ${k.projectId}.`);
      },
    },
  },
};
