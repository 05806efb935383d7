/**
 * Where an alert points: the dashboard's page of the crash group (what a person clicking in a
 * chat wants), and the group's JSON in the admin API (what a script wants). Null without
 * PUBLIC_URL: a link to a guessed host would be worse than none.
 */
export function alertLinks(linkBase: string | null | undefined, site: string, groupId: string): { url: string; apiUrl: string } | null {
  if (!linkBase) return null;
  const base = linkBase.replace(/\/+$/, "");
  return {
    url: `${base}/sites/${encodeURIComponent(site)}/crashes/${encodeURIComponent(groupId)}`,
    apiUrl: `${base}/api/crash-groups/${encodeURIComponent(groupId)}`,
  };
}
