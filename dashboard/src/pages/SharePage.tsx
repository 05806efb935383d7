import { useEffect, useState } from "preact/hooks";
import { api, type ApiError, setShareSlug } from "../lib/api.ts";
import type { Me } from "../lib/types.ts";
import { Header } from "../components/Header.tsx";
import { SitePage } from "./SitePage.tsx";

/** A share link: its project's dashboard, read-only, without an account (a password when the link has one). */
export function SharePage({ slug }: { slug: string }) {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [password, setPassword] = useState("");
  const [tries, setTries] = useState(0);
  useEffect(() => {
    setShareSlug(slug);
    api<Me>("/api/auth/me").then(setMe, (e: ApiError) => setError(e));
  }, [slug, tries]);
  const unlock = async (e: Event) => {
    e.preventDefault();
    try {
      await api("/api/auth/share", { method: "POST", body: { slug, password } });
      setError(null);
      setTries((t) => t + 1);
    } catch (err) {
      setError(err as ApiError);
    }
  };
  if (error?.code === "password_required" || (error?.code === "invalid_credentials" && password)) {
    return (
      <main id="main" class="auth-page">
        <form class="card auth-card" onSubmit={unlock}>
          <h1>This dashboard is protected</h1>
          <label>
            Password
            <input type="password" required value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
          </label>
          {error.code === "invalid_credentials" && (
            <p class="error-note" role="alert">
              {error.message}
            </p>
          )}
          <button class="button primary" type="submit">
            Open
          </button>
        </form>
      </main>
    );
  }
  if (error)
    return (
      <p class="error-note page" role="alert">
        This share link cannot be opened: {error.message}
      </p>
    );
  if (!me) return <p class="loading page">Loading…</p>;
  const site = me.projects[0]?.domains[0];
  return (
    <>
      <Header me={me} />
      <main id="main">{site ? <SitePage me={me} site={site} /> : <p class="page empty">This project has no website domain yet, so there are no page views to show.</p>}</main>
    </>
  );
}
