import { useState } from "preact/hooks";
import { CopyButton } from "../components/CopyButton.tsx";
import { api } from "../lib/api.ts";
import type { Project } from "../lib/types.ts";
import { dsn } from "./dsn.ts";

export function NewProject({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState("");
  const [domains, setDomains] = useState("");
  const [timezone, setTimezone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ project: Project; key: string } | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await api<{ project: Project; key: string }>("/api/admin/projects", {
        method: "POST",
        body: { name, domains: domains.split(/[\s,]+/).filter(Boolean), timezone },
      });
      setCreated(r);
      setName("");
      setDomains("");
      onCreated();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <details class="card">
      <summary>Add a project</summary>
      <form class="form-grid" onSubmit={submit}>
        <label>
          Name <input required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Domains <span class="muted">(space or comma separated)</span>
          <input value={domains} placeholder="example.com" onInput={(e) => setDomains((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Time zone <input value={timezone} required onInput={(e) => setTimezone((e.target as HTMLInputElement).value)} />
        </label>
        <button class="button primary" type="submit">
          Create project
        </button>
        {error && (
          <p class="error-note" role="alert">
            {error}
          </p>
        )}
      </form>
      {created && (
        <div class="notice" role="status">
          <p>
            Project <strong>{created.project.name}</strong> created. Its first public key (shown once) and DSN:
          </p>
          <pre class="code">
            <code>{created.key}</code>
          </pre>
          <pre class="code">
            <code>{dsn(created.key, created.project.id)}</code>
          </pre>
          <CopyButton text={dsn(created.key, created.project.id)} label="Copy the DSN" />
        </div>
      )}
    </details>
  );
}
