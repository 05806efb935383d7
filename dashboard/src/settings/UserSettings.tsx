import { useState } from "preact/hooks";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { api } from "../lib/api.ts";
import type { Project, User } from "../lib/types.ts";
import { useAsync } from "../lib/use-async.ts";

type UserRow = User & { projectIds: number[] };

/** Users and roles: admins see everything, viewers the projects they are given. */
export function UserSettings({ projects }: { projects: Project[] }) {
  const users = useAsync("users", (signal) => api<{ users: UserRow[] }>("/api/admin/users", { signal }).then((r) => r.users));
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<"admin" | "viewer">("viewer");
  const [error, setError] = useState<Error | null>(null);
  const run = (p: Promise<unknown>) =>
    p.then(
      () => users.reload(),
      (e: Error) => setError(e),
    );
  const create = (e: Event) => {
    e.preventDefault();
    setError(null);
    void run(
      api("/api/admin/users", { method: "POST", body: { email, password, role } }).then(() => {
        setEmail("");
        setPassword("");
      }),
    );
  };
  const name = (id: number) => projects.find((p) => p.id === id)?.name ?? `#${id}`;
  return (
    <section class="card" aria-labelledby="users-title">
      <h2 id="users-title">Users and roles</h2>
      {users.error && <ErrorNote error={users.error} what="users" />}
      <table>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Projects</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id}>
              <th scope="row">{u.email}</th>
              <td>
                <select
                  aria-label={`Role of ${u.email}`}
                  value={u.role}
                  onChange={(e) => run(api(`/api/admin/users/${u.id}`, { method: "PATCH", body: { role: (e.target as HTMLSelectElement).value } }))}
                >
                  <option value="admin">admin</option>
                  <option value="viewer">viewer</option>
                </select>
              </td>
              <td>{u.role === "admin" ? "all" : u.projectIds.map(name).join(", ") || "none"}</td>
              <td>
                <button type="button" class="link-button danger" onClick={() => run(api(`/api/admin/users/${u.id}`, { method: "DELETE" }))}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="form-row" onSubmit={create}>
        <label>
          Email <input type="email" required value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Password <input type="password" required minLength={10} autoComplete="new-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Role{" "}
          <select value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as "admin" | "viewer")}>
            <option value="viewer">viewer</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <button class="button small" type="submit">
          Add user
        </button>
      </form>
      {error && <ErrorNote error={error} what="the user change" />}
    </section>
  );
}
