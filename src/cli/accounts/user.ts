import { randomToken } from "../../accounts/secrets.ts";
import { getProject } from "../../accounts/projects.ts";
import { anyUserExists, createUser, deleteUser, grantProject, listUsers, setPassword } from "../../accounts/users.ts";
import { PASSWORD_RULE } from "../../accounts/validate.ts";
import { str, table, UsageError, when, type CliContext, type Noun } from "./command.ts";

/** --password-stdin reads the password from stdin; otherwise a strong one is generated and shown once. */
async function passwordFrom(ctx: CliContext, fromStdin: unknown): Promise<{ password: string; generated: boolean }> {
  if (fromStdin) {
    const password = (await ctx.stdin()).replace(/\r?\n$/, "");
    return { password, generated: false };
  }
  return { password: randomToken(15), generated: true };
}

const passwordHelp = [
  '  --password-stdin  read the password from stdin (e.g. `printf %s "$PW" | bun run cli …`);',
  `                    without it a random password is generated and printed once. Rule: ${PASSWORD_RULE}`,
];

export const userNoun: Noun = {
  summary: "users: admins (everything) and viewers (the projects they are given)",
  verbs: {
    create: {
      args: "--email EMAIL [--role admin|viewer] [--project ID|SLUG]… [--password-stdin]",
      summary: "create a user (the first one should be an admin)",
      help: [
        "  --email EMAIL     login email (required)",
        "  --role ROLE       admin or viewer (required once a user exists; the first user defaults to admin)",
        "  --project P       viewer: a project they may read (repeat for several)",
        ...passwordHelp,
      ],
      options: { email: { type: "string" }, role: { type: "string" }, project: { type: "string", multiple: true }, "password-stdin": { type: "boolean" } },
      async run(ctx, v) {
        if (!str(v.email)) throw new UsageError("--email is required");
        const db = await ctx.db();
        // The first user is an admin unless told otherwise; after that the role must be chosen.
        const role = str(v.role) ?? ((await anyUserExists(db.sql)) ? null : "admin");
        if (!role) throw new UsageError("--role is required (admin or viewer)");
        const projects = (v.project as string[] | undefined) ?? [];
        if (role === "admin" && projects.length) throw new UsageError("--project is for viewers: admins read every project");
        const ids = [];
        for (const p of projects) ids.push((await getProject(db.sql, p)).id);
        const { password, generated } = await passwordFrom(ctx, v["password-stdin"]);
        const user = await createUser(db, { email: str(v.email), password, role });
        for (const id of ids) await grantProject(db, user.id, id);
        ctx.out(`Created ${user.role} ${user.id} <${user.email}>${ids.length ? ` with access to project${ids.length > 1 ? "s" : ""} ${ids.join(", ")}` : ""}.`);
        if (generated) ctx.out(`Password (shown once): ${password}`);
      },
    },
    list: {
      args: "[--json]",
      summary: "list users",
      options: { json: { type: "boolean" } },
      async run(ctx, v) {
        const users = await listUsers((await ctx.db()).sql);
        if (v.json) return ctx.out(JSON.stringify(users, null, 2));
        if (users.length === 0) return ctx.out("No users yet: the read side stays closed until one exists. Create an admin with: bun run cli user create --email EMAIL");
        for (const l of table(
          users.map((u) => [u.id, u.email, u.role, u.role === "admin" ? "all" : u.projectIds.join(",") || null, when(u.createdAt)]),
          ["ID", "EMAIL", "ROLE", "PROJECTS", "CREATED"],
        ))
          ctx.out(l);
      },
    },
    delete: {
      args: "ID|EMAIL --yes",
      summary: "delete a user with their sessions and tokens (never the last admin)",
      options: { yes: { type: "boolean" } },
      positionals: { min: 1, max: 1 },
      async run(ctx, v, [id]) {
        if (!v.yes) throw new UsageError("deleting a user needs --yes");
        const u = await deleteUser(await ctx.db(), id!);
        ctx.out(`Deleted ${u.role} ${u.id} <${u.email}>.`);
      },
    },
    passwd: {
      args: "ID|EMAIL [--password-stdin]",
      summary: "set a new password (ends the user's sessions)",
      help: passwordHelp,
      options: { "password-stdin": { type: "boolean" } },
      positionals: { min: 1, max: 1 },
      async run(ctx, v, [id]) {
        const { password, generated } = await passwordFrom(ctx, v["password-stdin"]);
        const u = await setPassword(await ctx.db(), id!, password);
        ctx.out(`Changed the password of ${u.id} <${u.email}>; their sessions were ended.`);
        if (generated) ctx.out(`Password (shown once): ${password}`);
      },
    },
  },
};
