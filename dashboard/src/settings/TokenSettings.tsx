import { useState } from "preact/hooks";
import { CopyButton } from "../components/CopyButton.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { api } from "../lib/api.ts";
import { formatDate } from "../lib/format.ts";
import type { Token } from "../lib/types.ts";
import { useAsync } from "../lib/use-async.ts";

/** The caller's API tokens for the Stats API (Authorization: Bearer …). */
export function TokenSettings() {
  const tokens = useAsync("tokens", (signal) => api<{ tokens: Token[] }>("/api/auth/tokens", { signal }).then((r) => r.tokens));
  const [name, setName] = useState("");
  const [scope, setScope] = useState<"read" | "admin">("read");
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await api<{ token: string }>("/api/auth/tokens", { method: "POST", body: { name, scope } });
      setCreated(r.token);
      setName("");
      tokens.reload();
    } catch (err) {
      setError(err as Error);
    }
  };
  const revoke = (id: number) => api(`/api/auth/tokens/${id}`, { method: "DELETE" }).then(tokens.reload, setError);
  return (
    <section class="card" aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p class="muted">
        For the Stats API: <code>Authorization: Bearer &lt;token&gt;</code> on POST /api/v1/query.
      </p>
      {tokens.error && <ErrorNote error={tokens.error} what="tokens" />}
      <ul class="plain-list">
        {(tokens.data ?? [])
          .filter((t) => !t.revokedAt)
          .map((t) => (
            <li key={t.id}>
              <code>{t.prefix}</code> {t.name} <span class="badge">{t.scope}</span> <span class="muted">created {formatDate(t.createdAt)}</span>{" "}
              <button type="button" class="link-button danger" onClick={() => revoke(t.id)}>
                Revoke
              </button>
            </li>
          ))}
      </ul>
      <form class="form-row" onSubmit={create}>
        <label>
          Name <input required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Scope{" "}
          <select value={scope} onChange={(e) => setScope((e.target as HTMLSelectElement).value as "read" | "admin")}>
            <option value="read">read</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <button class="button small" type="submit">
          Create token
        </button>
      </form>
      {error && <ErrorNote error={error} what="the token" />}
      {created && (
        <div class="notice" role="status">
          <p>The token (shown once):</p>
          <pre class="code">
            <code>{created}</code>
          </pre>
          <CopyButton text={created} />
        </div>
      )}
    </section>
  );
}
