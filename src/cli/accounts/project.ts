import { listKeys } from "../../accounts/keys.ts";
import { deleteProject, projectDataCounts, type DataCounts } from "../../accounts/project-data.ts";
import { createProject, getProject, listProjects, updateProject, type Project } from "../../accounts/projects.ts";
import { str, table, UsageError, when, type Noun } from "./command.ts";
import { dsnFor } from "../../accounts/public-url.ts";

const LABELS: Record<string, string> = { pageviews: "page views", custom_events: "custom events", crash_groups: "crash groups", event_log: "events in the event log" };
const describeCounts = (c: DataCounts) => {
  const parts = Object.entries(c).map(([t, n]) => `${n} ${LABELS[t] ?? t.replace(/_/g, " ")}`);
  return parts.length ? parts.join(", ") : "no data";
};
const json = (v: unknown) => JSON.stringify(v, null, 2);
const projectLine = (p: Project) => [p.id, p.slug, p.name, p.domains.join(",") || null, p.timezone];

export const projectNoun: Noun = {
  summary: "projects: what keys belong to and dashboards show",
  verbs: {
    create: {
      args: "--name NAME [--slug SLUG] [--domain D]… [--timezone TZ] [--key K]",
      summary: "create a project with a public key; prints its id, key and DSN",
      help: [
        "  --name NAME      display name (required)",
        "  --slug SLUG      URL name (default: from the name); lower-case letters, digits, hyphens",
        "  --domain D       a site the project owns (repeat for several), e.g. example.com",
        "  --timezone TZ    IANA time zone for day boundaries (default UTC)",
        "  --key K          import an existing public key instead of generating one",
      ],
      options: { name: { type: "string" }, slug: { type: "string" }, domain: { type: "string", multiple: true }, timezone: { type: "string" }, key: { type: "string" } },
      async run(ctx, v) {
        if (!str(v.name)) throw new UsageError("--name is required");
        const db = await ctx.db();
        const input = { name: str(v.name)!, slug: str(v.slug), domains: (v.domain as string[] | undefined) ?? [], timezone: str(v.timezone) };
        const { key, ...project } = await createProject(db, input, { name: "Default key", key: str(v.key) });
        ctx.out(
          `Created project ${project.id} "${project.name}" (slug ${project.slug}${project.domains.length ? `, domains ${project.domains.join(", ")}` : ""}, time zone ${project.timezone}).`,
        );
        ctx.out(`Project ID: ${project.id}`);
        ctx.out(`Public key: ${key}`);
        ctx.out(`DSN: ${dsnFor(ctx.config, key, project.id)}`);
      },
    },
    list: {
      args: "[--json]",
      summary: "list projects",
      options: { json: { type: "boolean" } },
      async run(ctx, v) {
        const projects = await listProjects((await ctx.db()).sql);
        if (v.json) return ctx.out(json(projects));
        if (projects.length === 0) return ctx.out("No projects yet. Create one with: bun run cli project create --name NAME");
        for (const l of table(projects.map(projectLine), ["ID", "SLUG", "NAME", "DOMAINS", "TIME ZONE"])) ctx.out(l);
      },
    },
    show: {
      args: "ID|SLUG [--json]",
      summary: "show a project, its keys and how much data it has",
      options: { json: { type: "boolean" } },
      positionals: { min: 1, max: 1 },
      async run(ctx, v, [id]) {
        const { sql } = await ctx.db();
        const project = await getProject(sql, id!);
        const keys = await listKeys(sql, project.id);
        const data = await projectDataCounts(sql, project);
        if (v.json) return ctx.out(json({ ...project, keys, data }));
        ctx.out(`Project ${project.id}: ${project.name}`);
        ctx.out(`  slug:      ${project.slug}`);
        ctx.out(`  domains:   ${project.domains.join(", ") || "(none: keyed events are stored under the slug)"}`);
        ctx.out(`  time zone: ${project.timezone}`);
        ctx.out(`  settings:  ${JSON.stringify(project.settings)}`);
        ctx.out(`  created:   ${when(project.createdAt)}`);
        ctx.out(`  data:      ${describeCounts(data)}`);
        ctx.out("Keys:");
        for (const l of table(
          keys.map((k) => [k.id, k.name, k.prefix, when(k.createdAt), when(k.lastUsedAt), k.revokedAt ? `revoked ${when(k.revokedAt)}` : "active"]),
          ["ID", "NAME", "KEY", "CREATED", "LAST USED", "STATUS"],
        ))
          ctx.out(`  ${l}`);
      },
    },
    update: {
      args: "ID|SLUG [--name NAME] [--domain D]… [--no-domains] [--timezone TZ]",
      summary: "rename a project, replace its domains or change its time zone",
      options: { name: { type: "string" }, domain: { type: "string", multiple: true }, "no-domains": { type: "boolean" }, timezone: { type: "string" } },
      positionals: { min: 1, max: 1 },
      async run(ctx, v, [id]) {
        const domains = v["no-domains"] ? [] : (v.domain as string[] | undefined);
        const p = await updateProject(await ctx.db(), id!, { name: str(v.name), domains, timezone: str(v.timezone) });
        ctx.out(`Updated project ${p.id}: name "${p.name}", domains ${p.domains.join(", ") || "(none)"}, time zone ${p.timezone}.`);
      },
    },
    delete: {
      args: "ID|SLUG --yes",
      summary: "delete a project with its keys, share links and data (says how much first)",
      options: { yes: { type: "boolean" } },
      positionals: { min: 1, max: 1 },
      async run(ctx, v, [id]) {
        const db = await ctx.db();
        const project = await getProject(db.sql, id!);
        if (!v.yes) {
          const counts = await projectDataCounts(db.sql, project);
          ctx.out(`Deleting project ${project.id} "${project.name}" would delete ${describeCounts(counts)} (sites ${[...project.domains, project.slug].join(", ")}).`);
          ctx.out("Nothing was deleted. Run again with --yes to delete it.");
          return 1;
        }
        const { deleted } = await deleteProject(db, project.id);
        ctx.out(`Deleted project ${project.id} "${project.name}" and ${describeCounts(deleted)}.`);
      },
    },
  },
};
