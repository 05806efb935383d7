import { ProjectSettings } from "../settings/ProjectSettings.tsx";
import { NewProject } from "../settings/NewProject.tsx";
import { TokenSettings } from "../settings/TokenSettings.tsx";
import { UserSettings } from "../settings/UserSettings.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { api } from "../lib/api.ts";
import type { Me, Project } from "../lib/types.ts";
import { useAsync } from "../lib/use-async.ts";

/** Projects (domains, time zone, keys, DSN, snippet, share links), API tokens, users. */
export function SettingsPage({ me }: { me: Me }) {
  const projects = useAsync(`projects:${me.isAdmin}`, (signal) =>
    me.isAdmin ? api<{ projects: Project[] }>("/api/admin/projects", { signal }).then((r) => r.projects) : Promise.resolve(me.projects),
  );
  return (
    <div class="page settings">
      <h1>Settings</h1>
      <section aria-labelledby="projects-title">
        <h2 id="projects-title">Projects</h2>
        {projects.error && <ErrorNote error={projects.error} what="projects" />}
        {(projects.data ?? []).map((p) => (
          <ProjectSettings key={p.id} project={p} admin={me.isAdmin && me.scope === "admin"} onChange={projects.reload} />
        ))}
        {projects.data?.length === 0 && <p class="empty">No project yet. Events from any site are kept under their site until a project claims it.</p>}
        {me.isAdmin && <NewProject onCreated={projects.reload} />}
      </section>
      <TokenSettings />
      {me.isAdmin && <UserSettings projects={projects.data ?? []} />}
    </div>
  );
}
