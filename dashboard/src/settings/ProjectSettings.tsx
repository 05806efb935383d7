import { useState } from "preact/hooks";
import { CopyButton } from "../components/CopyButton.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { SnippetBlock } from "../components/SnippetBlock.tsx";
import { api } from "../lib/api.ts";
import { formatDate } from "../lib/format.ts";
import type { Key, Project, Share } from "../lib/types.ts";
import { useAsync } from "../lib/use-async.ts";
import { dsn } from "./dsn.ts";
import { WebhookSettings } from "./WebhookSettings.tsx";

interface ProjectDetail {
  project: Project;
  keys: Key[];
  shares: Share[];
}

/** One project: domains and time zone, public keys with the DSN, the snippet, share links. */
export function ProjectSettings({ project, admin, onChange }: { project: Project; admin: boolean; onChange: () => void }) {
  const detail = useAsync(`project:${project.id}`, (signal) =>
    admin ? api<ProjectDetail>(`/api/admin/projects/${project.id}`, { signal }) : Promise.resolve({ project, keys: [], shares: [] }),
  );
  const [domains, setDomains] = useState(project.domains.join(" "));
  const [timezone, setTimezone] = useState(project.timezone);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const run = async (f: () => Promise<void>) => {
    setError(null);
    setMessage(null);
    try {
      await f();
      detail.reload();
    } catch (err) {
      setError(err as Error);
    }
  };
  const save = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await api(`/api/admin/projects/${project.id}`, { method: "PATCH", body: { domains: domains.split(/[\s,]+/).filter(Boolean), timezone } });
      setMessage("Saved.");
      onChange();
    });
  };
  const newKey = () =>
    run(async () => {
      const r = await api<{ key: string }>(`/api/admin/projects/${project.id}/keys`, { method: "POST", body: { name: "Dashboard" } });
      setSecret({ label: "New public key and its DSN (shown once)", value: `${r.key}\n${dsn(r.key, project.id)}` });
    });
  const newShare = () =>
    run(async () => {
      const r = await api<{ url: string }>(`/api/admin/projects/${project.id}/shares`, { method: "POST", body: { name: "Shared from the dashboard" } });
      setSecret({ label: "Share link (shown once)", value: r.url });
    });
  const revoke = (what: "keys" | "shares", id: number) => run(() => api(`/api/admin/projects/${project.id}/${what}/${id}`, { method: "DELETE" }).then(() => undefined));
  const keys = detail.data?.keys.filter((k) => !k.revokedAt) ?? [];
  const shares = detail.data?.shares.filter((s) => !s.revokedAt) ?? [];
  return (
    <article class="card project" aria-labelledby={`p-${project.id}`}>
      <h3 id={`p-${project.id}`}>
        {project.name}{" "}
        <span class="muted">
          #{project.id} · {project.slug}
        </span>
      </h3>
      {admin ? (
        <form class="form-grid" onSubmit={save}>
          <label>
            Domains <input value={domains} onInput={(e) => setDomains((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            Time zone <input value={timezone} onInput={(e) => setTimezone((e.target as HTMLInputElement).value)} />
          </label>
          <button class="button" type="submit">
            Save
          </button>
        </form>
      ) : (
        <p>
          Domains: {project.domains.join(", ") || "none"} · Time zone: {project.timezone}
        </p>
      )}
      {message && <p role="status">{message}</p>}
      {error && <ErrorNote error={error} what="the change" />}
      {detail.error && <ErrorNote error={detail.error} what="the project's keys and share links" />}
      {secret && (
        <div class="notice" role="status">
          <p>{secret.label}:</p>
          <pre class="code">
            <code data-testid="secret">{secret.value}</code>
          </pre>
          <CopyButton text={secret.value} />
        </div>
      )}
      <details>
        <summary>Snippet</summary>
        <SnippetBlock />
      </details>
      {admin && (
        <>
          <h4>Public keys</h4>
          <p class="muted">Apps send with a key (X-API-Key, or the DSN for Sentry SDKs: {dsn("<key>", project.id)}).</p>
          <ul class="plain-list">
            {keys.map((k) => (
              <li key={k.id} data-testid="key-row">
                <code>{k.prefix}</code> {k.name} <span class="muted">created {formatDate(k.createdAt)}</span>{" "}
                <button type="button" class="link-button danger" onClick={() => revoke("keys", k.id)}>
                  Revoke
                </button>
              </li>
            ))}
          </ul>
          <button type="button" class="button small" onClick={newKey}>
            New key
          </button>
          <h4>Share links</h4>
          <p class="muted">A read-only dashboard without login; it may be embedded in another site (an iframe).</p>
          <ul class="plain-list">
            {shares.map((s) => (
              <li key={s.id}>
                <code>{s.prefix}</code> {s.name} {s.hasPassword && <span class="badge">password</span>}{" "}
                <button type="button" class="link-button danger" onClick={() => revoke("shares", s.id)}>
                  Revoke
                </button>
              </li>
            ))}
          </ul>
          <button type="button" class="button small" onClick={newShare}>
            New share link
          </button>
          <WebhookSettings projectId={project.id} />
        </>
      )}
    </article>
  );
}
