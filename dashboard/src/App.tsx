import { useEffect, useState } from "preact/hooks";
import { api, type ApiError, setShareSlug, setUnauthorizedHandler } from "./lib/api.ts";
import { navigate, useLocation } from "./lib/router.ts";
import type { Me } from "./lib/types.ts";
import { CrashGroupPage } from "./pages/CrashGroupPage.tsx";
import { Header } from "./components/Header.tsx";
import { LoginPage } from "./pages/LoginPage.tsx";
import { SettingsPage } from "./pages/SettingsPage.tsx";
import { SetupPage } from "./pages/SetupPage.tsx";
import { SharePage } from "./pages/SharePage.tsx";
import { SitePage } from "./pages/SitePage.tsx";
import { SitesPage } from "./pages/SitesPage.tsx";

/**
 * Who is signed in decides everything else: nobody → the login screen (or the first-run
 * screen while no user exists); a share link → its project's read-only dashboard.
 */
export function App() {
  const loc = useLocation();
  const share = /^\/share\/([^/]+)/.exec(loc.path);
  if (share) return <SharePage slug={decodeURIComponent(share[1]!)} />;
  return <SignedIn />;
}

function SignedIn() {
  const loc = useLocation();
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    setShareSlug(null);
    setUnauthorizedHandler((code) => {
      setMe(null);
      navigate(code === "setup_required" ? "/setup" : `/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    });
    if (loc.path === "/login" || loc.path === "/setup") return;
    api<Me>("/api/auth/me").then(setMe, (e: ApiError) => setError(e));
  }, [version, loc.path === "/login" || loc.path === "/setup"]);

  if (loc.path === "/setup") return <SetupPage />;
  if (loc.path === "/login") return <LoginPage onLogin={() => setVersion((v) => v + 1)} />;
  if (!me) return error && error.status !== 401 ? <p class="error-note page">Could not reach the server: {error.message}</p> : <p class="loading page">Loading…</p>;

  const site = /^\/sites\/([^/]+)(?:\/crashes\/([^/]+))?$/.exec(loc.path);
  let screen;
  if (site && site[2]) screen = <CrashGroupPage me={me} site={decodeURIComponent(site[1]!)} groupId={decodeURIComponent(site[2])} />;
  else if (site) screen = <SitePage me={me} site={decodeURIComponent(site[1]!)} />;
  else if (loc.path.startsWith("/settings")) screen = <SettingsPage me={me} />;
  else if (loc.path === "/") screen = <SitesPage me={me} />;
  else
    screen = (
      <p class="page">
        No page here. <a href="/">Back to your sites</a>
      </p>
    );
  return (
    <>
      <Header me={me} onLogout={() => setMe(null)} />
      <main id="main">{screen}</main>
    </>
  );
}
