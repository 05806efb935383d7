import { Sparkline } from "../components/Sparkline.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { SnippetBlock } from "../components/SnippetBlock.tsx";
import { api } from "../lib/api.ts";
import { formatInteger } from "../lib/format.ts";
import { countOpenCrashGroups } from "../lib/crash-api.ts";
import { query } from "../lib/query.ts";
import type { Me } from "../lib/types.ts";
import { useAsync } from "../lib/use-async.ts";

interface SiteEntry {
  site: string;
  project: string | null;
}

/** Every site the reader may see: its projects' domains, and (admins) sites with traffic but no project yet. */
export function SitesPage({ me }: { me: Me }) {
  const unregistered = useAsync(`unregistered:${me.isAdmin}`, (signal) =>
    me.isAdmin ? api<{ sites: { site: string }[] }>("/api/admin/sites", { signal }).then((r) => r.sites) : Promise.resolve([]),
  );
  const sites: SiteEntry[] = [
    ...me.projects.flatMap((p) => p.domains.map((d) => ({ site: d, project: p.name }))),
    ...(unregistered.data ?? []).map((s) => ({ site: s.site, project: null })),
  ];
  return (
    <div class="page">
      <h1>Sites</h1>
      {unregistered.error && <ErrorNote error={unregistered.error} what="sites without a project" />}
      {sites.length === 0 && !unregistered.loading ? (
        <section class="card empty-state">
          <h2>No data yet — add the snippet:</h2>
          <SnippetBlock />
          <p>
            Page views show up here within seconds of the first visit.
            {me.isAdmin && (
              <>
                {" "}
                To give a site a name, time zone and keys, <a href="/settings">create a project</a>.
              </>
            )}
          </p>
        </section>
      ) : (
        <ul class="site-list">
          {sites.map((s) => (
            <SiteCard key={s.site} entry={s} />
          ))}
        </ul>
      )}
    </div>
  );
}

function SiteCard({ entry }: { entry: SiteEntry }) {
  const today = useAsync(`today:${entry.site}`, (signal) => query({ site: entry.site, metrics: ["visitors"], date_range: "day" }, signal));
  const week = useAsync(`week:${entry.site}`, (signal) => query({ site: entry.site, metrics: ["visitors"], date_range: "7d", dimensions: ["time:day"] }, signal));
  const open = useAsync(`open-crashes:${entry.site}`, (signal) => countOpenCrashGroups(entry.site, signal));
  const visitors = today.data?.results[0]?.metrics[0];
  const groups = open.data ?? undefined;
  return (
    <li class="card site-card" data-testid="site-card" data-site={entry.site}>
      <a class="site-link" href={`/sites/${encodeURIComponent(entry.site)}`}>
        <span class="site-name">{entry.site}</span>
        {entry.project ? <span class="muted">{entry.project}</span> : <span class="muted">no project yet</span>}
      </a>
      <div class="site-figures">
        <span>
          <strong data-testid="today-visitors">{visitors === undefined ? "–" : formatInteger(visitors)}</strong> <span class="muted">visitors today</span>
        </span>
        <Sparkline values={week.data?.results.map((r) => r.metrics[0] ?? 0) ?? []} label={`Visitors over the last 7 days on ${entry.site}`} />
        <a href={`/sites/${encodeURIComponent(entry.site)}?tab=crashes`} class={groups ? "crash-count has" : "crash-count"}>
          <span data-testid="open-crash-groups">{groups === undefined ? "–" : formatInteger(groups)}</span> open crash {groups === 1 ? "group" : "groups"}
        </a>
      </div>
    </li>
  );
}
