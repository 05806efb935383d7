import { useState } from "preact/hooks";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { api } from "../lib/api.ts";
import { useAsync } from "../lib/use-async.ts";

interface Webhook {
  id: number;
  name: string;
  target: string;
  format: string;
  events: string[];
  deliveries?: { sent: number; pending: number; failed: number; throttled: number; lastError: string | null };
}

/** A project's alert webhooks (Slack, Mattermost, Discord or plain JSON): new crash groups and regressions. */
export function WebhookSettings({ projectId }: { projectId: number }) {
  const hooks = useAsync(`hooks:${projectId}`, (signal) => api<{ webhooks: Webhook[] }>(`/api/admin/projects/${projectId}/webhooks`, { signal }).then((r) => r.webhooks));
  const [url, setUrl] = useState("");
  const [error, setError] = useState<Error | null>(null);
  const add = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await api(`/api/admin/projects/${projectId}/webhooks`, { method: "POST", body: { url } });
      setUrl("");
      hooks.reload();
    } catch (err) {
      setError(err as Error);
    }
  };
  const remove = (id: number) => api(`/api/admin/projects/${projectId}/webhooks/${id}`, { method: "DELETE" }).then(hooks.reload, setError);
  return (
    <>
      <h4>Alert webhooks</h4>
      <p class="muted">A message on every new crash group and every regression.</p>
      {hooks.error && <ErrorNote error={hooks.error} what="webhooks" />}
      <ul class="plain-list">
        {(hooks.data ?? []).map((h) => (
          <li key={h.id}>
            {h.name} <code>{h.target}</code> <span class="badge">{h.format}</span>{" "}
            <span class="muted">
              {h.deliveries ? `${h.deliveries.sent} sent, ${h.deliveries.failed} failed${h.deliveries.lastError ? ` (last error: ${h.deliveries.lastError})` : ""}` : ""}
            </span>{" "}
            <button type="button" class="link-button danger" onClick={() => remove(h.id)}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      <form class="form-row" onSubmit={add}>
        <label>
          Webhook URL <input type="url" required value={url} placeholder="https://hooks.slack.com/services/…" onInput={(e) => setUrl((e.target as HTMLInputElement).value)} />
        </label>
        <button class="button small" type="submit">
          Add webhook
        </button>
      </form>
      {error && <ErrorNote error={error} what="the webhook" />}
    </>
  );
}
