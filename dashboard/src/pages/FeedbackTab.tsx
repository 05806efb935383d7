import { useEffect, useState } from "preact/hooks";
import { ErrorNote } from "../components/ErrorNote.tsx";
import {
  changeFeedback,
  deleteFeedback,
  FEEDBACK_CATEGORY_LABELS,
  FEEDBACK_PAGE_SIZE,
  FEEDBACK_STATUS_LABELS,
  listFeedback,
  type Feedback,
  type FeedbackCategory,
  type FeedbackStatus,
} from "../lib/feedback-api.ts";
import { formatDateTime, formatInteger } from "../lib/format.ts";
import type { Me } from "../lib/types.ts";
import { useAsync } from "../lib/use-async.ts";

const STATUS_FILTERS: [FeedbackStatus | "all", string][] = [
  ["open", "Open"],
  ["in_progress", "In progress"],
  ["closed", "Closed"],
  ["all", "All"],
];
const CATEGORY_FILTERS: [FeedbackCategory | "all", string][] = [
  ["all", "All"],
  ["bug", "Bugs"],
  ["feature", "Ideas"],
  ["general", "General"],
];

/** What people wrote (bug reports, ideas), newest first, with status and the team's notes; admins triage. */
export function FeedbackTab({ site, me }: { site: string; me: Me }) {
  const [status, setStatus] = useState<FeedbackStatus | "all">("open");
  const [category, setCategory] = useState<FeedbackCategory | "all">("all");
  const [offset, setOffset] = useState(0);
  const filter = { status: status === "all" ? null : status, category: category === "all" ? null : category, offset };
  const list = useAsync(`feedback:${site}:${status}:${category}:${offset}`, (signal) => listFeedback(site, filter, signal));
  const canTriage = me.isAdmin && me.scope === "admin";
  const page = list.data;
  // The last one on a later page was closed or deleted: show the page before it.
  useEffect(() => {
    if (page && page.feedback.length === 0 && offset > 0) setOffset(Math.max(0, offset - FEEDBACK_PAGE_SIZE));
  }, [page, offset]);
  return (
    <section class="card feedback-card" aria-labelledby="fb-title">
      <div class="card-head">
        <h2 id="fb-title">Feedback</h2>
        <div class="filters">
          <label class="field-inline">
            Status{" "}
            <select
              value={status}
              data-testid="feedback-status-filter"
              onChange={(e) => {
                setStatus((e.target as HTMLSelectElement).value as FeedbackStatus | "all");
                setOffset(0);
              }}
            >
              {STATUS_FILTERS.map(([id, label]) => (
                <option value={id} key={id}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label class="field-inline">
            Category{" "}
            <select
              value={category}
              onChange={(e) => {
                setCategory((e.target as HTMLSelectElement).value as FeedbackCategory | "all");
                setOffset(0);
              }}
            >
              {CATEGORY_FILTERS.map(([id, label]) => (
                <option value={id} key={id}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      {list.error ? (
        <ErrorNote error={list.error} what="feedback" />
      ) : !page ? (
        <p class="loading">Loading…</p>
      ) : page.total === 0 ? (
        <p class="empty">
          {status === "all" && category === "all"
            ? "No feedback yet. Apps send it to POST /api/feedback or /sdk/<app>/feedback, or with a Sentry SDK's feedback widget."
            : "No feedback matches these filters."}
        </p>
      ) : (
        <>
          <p class="muted" data-testid="feedback-count">
            {page.total === 1 ? "1 feedback" : `${formatInteger(page.total)} feedback`}
            {page.total > page.feedback.length ? `, ${formatInteger(offset + 1)}–${formatInteger(offset + page.feedback.length)} shown` : ""}
          </p>
          <ul class="feedback-list">
            {page.feedback.map((f) => (
              <FeedbackItem key={f.id} f={f} canTriage={canTriage} onChanged={list.reload} />
            ))}
          </ul>
          {page.total > FEEDBACK_PAGE_SIZE && (
            <div class="card-foot">
              <button type="button" class="button small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - FEEDBACK_PAGE_SIZE))}>
                Newer
              </button>
              <button type="button" class="button small" disabled={offset + FEEDBACK_PAGE_SIZE >= page.total} onClick={() => setOffset(offset + FEEDBACK_PAGE_SIZE)}>
                Older
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function FeedbackItem({ f, canTriage, onChanged }: { f: Feedback; canTriage: boolean; onChanged: () => void }) {
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const noteId = `note-${f.id}`;
  async function change(c: { status?: FeedbackStatus; note?: string } | "delete") {
    if (c === "delete" && !confirm("Delete this feedback and its notes? This cannot be undone.")) return;
    setBusy(true);
    setError(null);
    try {
      if (c === "delete") await deleteFeedback(f.id);
      else {
        await changeFeedback(f.id, c);
        if (c.note !== undefined) setNote("");
      }
      onChanged();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  }
  const details = [f.release && `release ${f.release}`, f.platform, f.osVersion, f.url].filter(Boolean).join(" · ");
  return (
    <li class="feedback-item" data-testid="feedback-item" data-feedback={f.id}>
      <div class="feedback-head">
        <span class="badge">{FEEDBACK_CATEGORY_LABELS[f.category] ?? f.category}</span>
        <span class={`status status-${f.status}`} data-testid="feedback-status">
          {FEEDBACK_STATUS_LABELS[f.status] ?? f.status}
        </span>
        <span class="muted">{formatDateTime(f.occurredAt)}</span>
        {canTriage && (
          <label class="field-inline feedback-status-select">
            <span class="visually-hidden">Status of this feedback</span>
            <select
              value={f.status}
              disabled={busy}
              data-testid="feedback-status-select"
              onChange={(e) => change({ status: (e.target as HTMLSelectElement).value as FeedbackStatus })}
            >
              {(Object.keys(FEEDBACK_STATUS_LABELS) as FeedbackStatus[]).map((s) => (
                <option value={s} key={s}>
                  {FEEDBACK_STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <p class="feedback-message">{f.message}</p>
      {(details || f.email) && (
        <p class="muted">
          {details}
          {details && f.email ? " · " : ""}
          {f.email && <a href={`mailto:${f.email}`}>{f.email}</a>}
        </p>
      )}
      {f.notes.length > 0 && (
        <ul class="feedback-notes" aria-label="Internal notes">
          {f.notes.map((n) => (
            <li key={n.id} data-testid="feedback-note">
              <span class="muted">
                {n.author ?? "someone"}, {formatDateTime(n.createdAt)}:
              </span>{" "}
              {n.body}
            </li>
          ))}
        </ul>
      )}
      {canTriage && (
        <form
          class="feedback-note-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (note.trim()) void change({ note: note.trim() });
          }}
        >
          <label for={noteId} class="visually-hidden">
            Internal note
          </label>
          <input
            id={noteId}
            type="text"
            maxLength={4096}
            placeholder="Add an internal note…"
            value={note}
            disabled={busy}
            onInput={(e) => setNote((e.target as HTMLInputElement).value)}
          />
          <button type="submit" class="button small" disabled={busy || note.trim() === ""}>
            Add note
          </button>
          <button type="button" class="link-button danger" disabled={busy} onClick={() => change("delete")}>
            Delete
          </button>
        </form>
      )}
      {error && (
        <p class="error-note" role="alert">
          Could not save: {error.message}
        </p>
      )}
    </li>
  );
}
