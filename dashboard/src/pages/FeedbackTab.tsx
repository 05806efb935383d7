import { ErrorNote } from "../components/ErrorNote.tsx";
import { api, ApiError } from "../lib/api.ts";
import { formatDateTime } from "../lib/format.ts";
import { useAsync } from "../lib/use-async.ts";

interface Feedback {
  id: string;
  category: string;
  message: string;
  email: string | null;
  url: string | null;
  release: string | null;
  status: string;
  notes?: string | null;
  receivedAt: string;
}

/** What people wrote (bug reports, ideas), newest first, with status and notes. */
export function FeedbackTab({ site }: { site: string }) {
  const list = useAsync(`feedback:${site}`, (signal) => api<{ feedback: Feedback[] }>(`/api/admin/feedback?site=${encodeURIComponent(site)}`, { signal }).then((r) => r.feedback));
  return (
    <section class="card" aria-labelledby="fb-title">
      <h2 id="fb-title">Feedback</h2>
      {list.error instanceof ApiError && list.error.status === 404 ? (
        <p class="empty">Feedback sent to POST /api/feedback or by a Sentry SDK is stored, but this server has no endpoint to list it yet; read it with SQL (table feedback).</p>
      ) : list.error ? (
        <ErrorNote error={list.error} what="feedback" />
      ) : list.data?.length === 0 ? (
        <p class="empty">No feedback yet. Apps send it to POST /api/feedback, or with a Sentry SDK's feedback widget.</p>
      ) : (
        <ul class="feedback-list">
          {(list.data ?? []).map((f) => (
            <li key={f.id} class="feedback-item">
              <div>
                <span class="badge">{f.category}</span> <span class={`status status-${f.status}`}>{f.status.replace("_", " ")}</span>{" "}
                <span class="muted">{formatDateTime(f.receivedAt)}</span>
              </div>
              <p>{f.message}</p>
              <p class="muted">
                {[f.url, f.release, f.email].filter(Boolean).join(" · ")}
                {f.notes ? ` — note: ${f.notes}` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
