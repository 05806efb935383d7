import { useState } from "preact/hooks";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { Sparkline } from "../components/Sparkline.tsx";
import { changeStatus, crashGroup, STATUS_LABELS, type Crash, type StatusChange } from "../lib/crash-api.ts";
import { formatDate, formatDateTime, formatInteger } from "../lib/format.ts";
import type { Me } from "../lib/types.ts";
import { useAsync } from "../lib/use-async.ts";

/** One crash group: its representative crash (frames innermost first, in-app highlighted), breadcrumbs, context, feedback, and triage. */
export function CrashGroupPage({ me, site, groupId }: { me: Me; site: string; groupId: string }) {
  const detail = useAsync(`group:${groupId}`, (signal) => crashGroup(groupId, signal));
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<Error | null>(null);
  const act = async (change: StatusChange) => {
    setBusy(true);
    setActionError(null);
    try {
      await changeStatus(groupId, change);
      detail.reload();
    } catch (err) {
      setActionError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const back = `/sites/${encodeURIComponent(site)}?tab=crashes`;
  if (detail.error)
    return (
      <div class="page">
        <a href={back}>← Crashes</a>
        <ErrorNote error={detail.error} what="this crash group" />
      </div>
    );
  if (!detail.data) return <p class="loading page">Loading…</p>;
  const { group: g, representative: c } = detail.data;
  const canTriage = me.isAdmin && me.scope === "admin";
  return (
    <div class="page crash-page">
      <a href={back}>← Crashes on {site}</a>
      <h1 class="crash-heading">
        {g.errorType}
        <span class="crash-message">{g.message}</span>
      </h1>
      <div class="crash-summary">
        <span class={`status status-${g.status}`} data-testid="group-status">
          {STATUS_LABELS[g.status] ?? g.status}
          {g.status === "resolved" && g.triage.resolvedInRelease ? ` in the release after ${g.triage.resolvedInRelease}` : ""}
          {g.status === "regressed" && g.regressedRelease ? ` in ${g.regressedRelease}` : ""}
        </span>
        <span>
          <strong>{formatInteger(g.occurrences)}</strong> {g.occurrences === 1 ? "occurrence" : "occurrences"}
        </span>
        <span>
          <strong>{formatInteger(g.affectedVisitors)}</strong> affected {g.affectedVisitors === 1 ? "visitor" : "visitors"}
        </span>
        <span>First seen {formatDateTime(g.firstSeen)}</span>
        <span>Last seen {formatDateTime(g.lastSeen)}</span>
        <Sparkline values={detail.data.daily.map((d) => d.occurrences)} label={`Crashes per day over ${detail.data.daily.length} days`} />
      </div>
      {canTriage && (
        <div class="actions" role="group" aria-label="Triage">
          {g.status !== "resolved" && (
            <button type="button" class="button primary" disabled={busy} onClick={() => act({ status: "resolved" })}>
              Resolve
            </button>
          )}
          {g.status !== "resolved" && g.releases.length > 0 && (
            <button
              type="button"
              class="button"
              disabled={busy}
              onClick={() => act({ status: "resolved", inNextRelease: true })}
              title="Only crashes from a release newer than the newest one seen reopen it"
            >
              Resolve in next release
            </button>
          )}
          {g.status !== "ignored" && (
            <button type="button" class="button" disabled={busy} onClick={() => act({ status: "ignored" })}>
              Ignore
            </button>
          )}
          {(g.status === "resolved" || g.status === "ignored" || g.status === "regressed") && (
            <button type="button" class="button" disabled={busy} onClick={() => act({ status: "ongoing" })}>
              Reopen
            </button>
          )}
        </div>
      )}
      {actionError && <ErrorNote error={actionError} what="the status change" />}
      <div class="crash-grid">
        <section class="card" aria-labelledby="stack-title">
          <h2 id="stack-title">Stack trace</h2>
          {c ? <Frames crash={c} /> : <p class="empty">The representative crash is no longer kept (retention).</p>}
        </section>
        <aside class="crash-side">
          <section class="card">
            <h2>Releases</h2>
            {detail.data.releases.length === 0 ? (
              <p class="empty">No release sent.</p>
            ) : (
              <table>
                <tbody>
                  {detail.data.releases.map((r) => (
                    <tr key={String(r.release)}>
                      <th scope="row">{r.release ?? "(none)"}</th>
                      <td class="num">{formatInteger(r.occurrences)}</td>
                      <td class="muted">last {formatDate(r.lastSeen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <h2>Platforms</h2>
            <ul class="plain-list">
              {detail.data.platforms.map((p) => (
                <li key={String(p.platform)}>
                  {p.platform ?? "(unknown)"} <span class="muted">{formatInteger(p.occurrences)}</span>
                </li>
              ))}
            </ul>
          </section>
          {c && (
            <section class="card">
              <h2>Where</h2>
              <dl class="context">
                {(
                  [
                    ["Page", c.pathname],
                    ["Browser", [c.browser, c.browserVersion].filter(Boolean).join(" ")],
                    ["OS", [c.os, c.osVersion].filter(Boolean).join(" ")],
                    ["Device", c.deviceType],
                    ["Release", c.release],
                    ["Severity", c.severity],
                    ["Seen", formatDateTime(c.occurredAt)],
                  ] as [string, string | null][]
                )
                  .filter(([, v]) => v)
                  .map(([k, v]) => (
                    <>
                      <dt key={`${k}-t`}>{k}</dt>
                      <dd key={`${k}-d`}>{v}</dd>
                    </>
                  ))}
              </dl>
            </section>
          )}
          {c?.context && Object.keys(c.context).length > 0 && (
            <section class="card">
              <h2>Context</h2>
              <dl class="context">
                {Object.entries(c.context).map(([k, v]) => (
                  <>
                    <dt key={`${k}-t`}>{k}</dt>
                    <dd key={`${k}-d`}>{typeof v === "string" ? v : JSON.stringify(v)}</dd>
                  </>
                ))}
              </dl>
            </section>
          )}
        </aside>
      </div>
      {c?.breadcrumbs && c.breadcrumbs.length > 0 && (
        <section class="card" aria-labelledby="crumbs-title">
          <h2 id="crumbs-title">Breadcrumbs</h2>
          <ol class="breadcrumbs">
            {c.breadcrumbs.map((b, i) => (
              <li key={i}>
                <span class="muted">{typeof b.timestamp === "string" ? formatDateTime(b.timestamp) : ""}</span> <strong>{String(b.category ?? b.type ?? "")}</strong>{" "}
                {typeof b.message === "string" ? b.message : JSON.stringify(b.data ?? b)}
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}

function Frames({ crash }: { crash: Crash }) {
  if (crash.frames.length === 0) return crash.rawStack ? <pre class="code">{crash.rawStack}</pre> : <p class="empty">No stack trace was sent.</p>;
  return (
    <ol class="frames" aria-label="Frames, innermost first">
      {crash.frames.map((f, i) => (
        <li key={i} class={f.inApp ? "frame in-app" : "frame"}>
          <code>{f.function || "<anonymous>"}</code>
          <span class="muted">
            {" "}
            {f.file ?? ""}
            {f.line ? `:${f.line}` : ""}
            {f.column ? `:${f.column}` : ""}
          </span>
          {f.inApp && <span class="badge">in app</span>}
        </li>
      ))}
    </ol>
  );
}
