import { useEffect, useState } from "preact/hooks";
import { api, type ApiError } from "../lib/api.ts";
import { navigate } from "../lib/router.ts";

/**
 * First run: no user exists, so nothing is readable. The first admin is created from a terminal
 * or the environment (never from an open web form, which anyone could reach first).
 */
export function SetupPage() {
  const [checking, setChecking] = useState(0);
  const [status, setStatus] = useState<string>("");
  useEffect(() => {
    api("/api/auth/me").then(
      () => navigate("/", { replace: true }),
      (e: ApiError) => {
        if (e.code !== "setup_required") navigate("/login", { replace: true });
        else setStatus(checking ? "Still no user. Run one of the commands above, then check again." : "");
      },
    );
  }, [checking]);
  return (
    <main id="main" class="auth-page">
      <section class="card auth-card setup" aria-labelledby="setup-title">
        <h1 id="setup-title">Welcome — create the first admin</h1>
        <p>No user exists yet, so the dashboard and the Stats API are closed. Create the first admin on the server, in a terminal (it prints a generated password):</p>
        <pre class="code">
          <code>bun run cli user create --email you@example.com</code>
        </pre>
        <p>or start the server once with these environment variables set:</p>
        <pre class="code">
          <code>ADMIN_EMAIL=you@example.com ADMIN_PASSWORD='a long passphrase' bun start</code>
        </pre>
        <p>Events are already being accepted; they will be here when you log in.</p>
        <button type="button" class="button primary" onClick={() => setChecking((c) => c + 1)}>
          I have created it — continue
        </button>
        <p aria-live="polite">{status}</p>
      </section>
    </main>
  );
}
