import { api } from "../lib/api.ts";
import { navigate } from "../lib/router.ts";
import type { Me } from "../lib/types.ts";

export function Header({ me, onLogout }: { me: Me | null; onLogout?: () => void }) {
  const logout = async () => {
    await api("/api/auth/logout", { method: "POST" }).catch(() => undefined);
    onLogout?.();
    navigate("/login");
  };
  return (
    <header class="top">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <a class="brand" href={me?.kind === "share" ? location.pathname : "/"}>
        <span class="logo" aria-hidden="true">
          ◔
        </span>{" "}
        Analytics
      </a>
      {me && me.kind !== "share" && (
        <nav aria-label="Main">
          <a href="/">Sites</a>
          <a href="/settings">Settings</a>
          <span class="who">{me.user?.email}</span>
          <button type="button" class="link-button" onClick={logout}>
            Log out
          </button>
        </nav>
      )}
      {me?.kind === "share" && <span class="badge">Read-only shared dashboard</span>}
    </header>
  );
}
