import { getProject } from "../accounts/projects.ts";
import { ALERT_KINDS, createWebhook, deleteWebhook, listWebhooks, webhookStats, type AlertKind } from "../alerts/webhooks.ts";
import { WEBHOOK_FORMATS, type WebhookFormat } from "../alerts/webhook-body.ts";
import { str, table, UsageError, when, type Noun } from "./accounts/command.ts";

/** `bun run cli webhook create|list|delete`: a project's crash-alert webhooks (src/alerts/). */
export const webhookNoun: Noun = {
  summary: "crash alert webhooks of a project (new crash group, regression)",
  verbs: {
    create: {
      args: "--project ID|SLUG --url URL [--name NAME] [--format slack|mattermost|discord|json] [--events new_group,regression]",
      summary: "add a webhook; alerts are posted to it from then on",
      help: [
        `  --format   ${WEBHOOK_FORMATS.join(", ")} (default: discord for Discord URLs, else slack)`,
        `  --events   comma-separated: ${ALERT_KINDS.join(", ")} (default: both)`,
      ],
      options: { project: { type: "string" }, url: { type: "string" }, name: { type: "string" }, format: { type: "string" }, events: { type: "string" } },
      async run(ctx, v) {
        if (!str(v.project)) throw new UsageError("--project is required");
        if (!str(v.url)) throw new UsageError("--url is required");
        const db = await ctx.db();
        await db.ensureSchema();
        const project = await getProject(db.sql, str(v.project)!);
        const events = str(v.events)
          ?.split(",")
          .map((e) => e.trim()) as AlertKind[] | undefined;
        const w = await createWebhook(db.sql, project.id, { url: str(v.url)!, name: str(v.name), format: str(v.format) as WebhookFormat | undefined, events });
        ctx.out(`Created webhook ${w.id} "${w.name}" (${w.format}; ${w.events.join(", ")}) for project ${project.slug} → ${w.target}`);
      },
    },
    list: {
      args: "--project ID|SLUG [--json]",
      summary: "list a project's webhooks with their delivery counts (the URL's origin only)",
      options: { project: { type: "string" }, json: { type: "boolean" } },
      async run(ctx, v) {
        if (!str(v.project)) throw new UsageError("--project is required");
        const db = await ctx.db();
        await db.ensureSchema();
        const hooks = await listWebhooks(db.sql, (await getProject(db.sql, str(v.project)!)).id);
        const stats = await webhookStats(
          db.sql,
          hooks.map((h) => h.id),
        );
        if (v.json)
          return ctx.out(
            JSON.stringify(
              hooks.map((h) => ({ ...h, deliveries: stats.get(h.id) ?? null })),
              null,
              2,
            ),
          );
        if (hooks.length === 0) return ctx.out("No webhooks.");
        const rows = hooks.map((h) => {
          const s = stats.get(h.id);
          return [h.id, h.name, h.format, h.events.join(","), h.target, when(new Date(h.createdAt)), s ? `${s.sent} sent, ${s.pending} pending, ${s.failed} failed` : "none yet"];
        });
        for (const l of table(rows, ["ID", "NAME", "FORMAT", "EVENTS", "TARGET", "CREATED", "DELIVERIES"])) ctx.out(l);
      },
    },
    delete: {
      args: "--project ID|SLUG WEBHOOK_ID",
      summary: "delete a webhook (pending deliveries to it are dropped)",
      options: { project: { type: "string" } },
      positionals: { min: 1, max: 1 },
      async run(ctx, v, [id]) {
        if (!str(v.project)) throw new UsageError("--project is required");
        if (!/^\d{1,15}$/.test(id!)) throw new UsageError(`WEBHOOK_ID must be a number; got "${id!.slice(0, 20)}"`);
        const db = await ctx.db();
        await db.ensureSchema();
        const w = await deleteWebhook(db.sql, (await getProject(db.sql, str(v.project)!)).id, Number(id));
        ctx.out(`Deleted webhook ${w.id} "${w.name}".`);
      },
    },
  },
};
