import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { NOUNS } from "../../src/cli/cli.ts";
import { until } from "../support/wait.ts";
import { serverSlot, startServerProcess, type ServerProcess } from "../support/server-process.ts";

/**
 * `bun run cli` as a subprocess against a running server: both use the same embedded database,
 * and what the CLI creates works over HTTP straight away.
 */
const ROOT = join(import.meta.dir, "..", "..");
let slot: ReturnType<typeof serverSlot>;
let server: ServerProcess;
let env: Record<string, string>;

beforeAll(async () => {
  slot = serverSlot();
  env = { DATABASE_URL: "", DATA_DIR: slot.dataDir, EMBEDDED_PG_PORT: String(slot.pgPort), PORT: String(slot.port), HOST: "127.0.0.1", LOG_LEVEL: "warn" };
  server = await startServerProcess(slot);
}, 60_000);
afterAll(async () => {
  server?.proc.kill("SIGTERM");
  await server?.exited;
  rmSync(slot.dataDir, { recursive: true, force: true });
});

async function cli(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}) {
  const proc = Bun.spawn(["bun", "run", "src/cli/cli.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, ...opts.env },
    stdin: opts.stdin === undefined ? "ignore" : new TextEncoder().encode(opts.stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { out, err, code, last: out.trimEnd().split("\n").at(-1)! };
}

const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);
const bearer = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });
const printed: string[] = [];

describe("help and usage errors", () => {
  test("--help works for the CLI, every noun and every verb (exit 0); bad usage exits 2", async () => {
    const top = await cli(["--help"]);
    expect(top.code).toBe(0);
    for (const noun of Object.keys(NOUNS)) expect(top.out).toContain(noun);
    const runs = Object.entries(NOUNS).flatMap(([noun, n]) => [[noun, "--help"], ...Object.keys(n.verbs).map((verb) => [noun, verb, "--help"])]);
    const results = await Promise.all(runs.map((args) => cli(args)));
    results.forEach((r, i) => {
      expect([runs[i]!.join(" "), r.code]).toEqual([runs[i]!.join(" "), 0]);
      expect(r.out).toContain(`bun run cli ${runs[i]![0]}`);
    });
    expect((await cli([])).code).toBe(2);
    const unknown = await cli(["frobnicate"]);
    expect([unknown.code, unknown.err]).toEqual([2, expect.stringContaining('Unknown command "frobnicate"')]);
    expect((await cli(["project", "explode"])).code).toBe(2);
    const badOpt = await cli(["project", "create", "--name", "x", "--colour", "red"]);
    expect([badOpt.code, badOpt.err]).toEqual([2, expect.stringContaining("--colour")]);
    expect((await cli(["project", "create"])).err).toContain("--name is required");
  }, 120_000);
});

describe("every verb against a running server", () => {
  let projectId: number;
  let key: string;

  test("project create prints the id, the key and the DSN (from HOST/PORT or PUBLIC_URL); the server accepts the key", async () => {
    const r = await cli(["project", "create", "--name", "Web Shop", "--domain", "shop.example", "--timezone", "Europe/Copenhagen"]);
    expect(r.code).toBe(0);
    projectId = Number(/Project ID: (\d+)/.exec(r.out)![1]);
    key = /Public key: (pk_web_shop_[0-9a-f]{16})/.exec(r.out)![1]!;
    printed.push(key);
    expect(r.out).toContain(`DSN: http://${key}@127.0.0.1:${slot.port}/${projectId}\n`);
    // The running server accepts the new key at once, from a script's user agent too.
    const sent = await api("/api/pageview", {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": key, "user-agent": "python-requests/2.32" },
      body: '{"pathname":"/"}',
    });
    expect(sent.status).toBe(202);
    const withUrl = await cli(["project", "create", "--name", "App", "--key", "imported-legacy-key-0001"], { env: { PUBLIC_URL: "https://stats.example.org/a" } });
    expect(withUrl.out).toContain("DSN: https://imported-legacy-key-0001@stats.example.org/a/");
    printed.push("imported-legacy-key-0001");
  }, 30_000);

  test("project list / show / update, without ever printing a key again", async () => {
    const list = await cli(["project", "list"]);
    expect(list.out).toMatch(/1\s+web-shop\s+Web Shop\s+shop\.example\s+Europe\/Copenhagen/);
    const show = await cli(["project", "show", "web-shop"]);
    expect(show.out).toContain("Default key");
    expect(show.out).toContain("page views");
    const json = JSON.parse((await cli(["project", "show", String(projectId), "--json"])).out);
    expect(json).toMatchObject({ id: projectId, slug: "web-shop", domains: ["shop.example"] });
    const upd = await cli(["project", "update", "web-shop", "--domain", "shop.example", "--domain", "shop2.example"]);
    expect([upd.code, upd.out]).toEqual([0, expect.stringContaining("shop.example, shop2.example")]);
    for (const out of [list.out, show.out, JSON.stringify(json)]) for (const s of printed) expect(out.includes(s)).toBe(false);
  }, 30_000);

  test("key create / list / revoke", async () => {
    const made = await cli(["key", "create", "--project", "web-shop", "--name", "backend"]);
    expect(made.code).toBe(0);
    const k = /Public key: (pk_web_shop_[0-9a-f]{16})/.exec(made.out)![1]!;
    printed.push(k);
    const id = /Created key (\d+)/.exec(made.out)![1]!;
    const list = await cli(["key", "list", "--project", "web-shop"]);
    expect(list.out).toContain("backend");
    expect(list.out.includes(k)).toBe(false);
    const ingest = () =>
      api("/api/pageview", { method: "POST", headers: { "content-type": "application/json", "x-api-key": k, "user-agent": "python-requests/2.32" }, body: '{"pathname":"/"}' });
    expect((await ingest()).status).toBe(202);
    expect((await cli(["key", "revoke", id])).out).toContain(`Revoked key ${id}`);
    // Another process revoked it: the server notices within its 5 s key cache.
    await until(async () => (await ingest()).status === 401, "the revoked key to be refused", 10_000, 200);
    expect((await cli(["key", "list"])).out).toMatch(new RegExp(`${id}\\s+${projectId}\\s+backend.*revoked`));
    const dup = await cli(["key", "create", "--project", "web-shop", "--key", "imported-legacy-key-0001"]);
    expect([dup.code, dup.err]).toEqual([1, expect.stringContaining("already registered")]);
    expect(dup.err.includes("imported-legacy-key-0001")).toBe(false);
    expect((await cli(["key", "revoke", "99999"])).code).toBe(1);
  }, 30_000);

  test("user create / list / passwd / delete; the user can log in to the running server", async () => {
    const admin = await cli(["user", "create", "--email", "ops@example.com"]);
    expect(admin.code).toBe(0);
    const password = /Password \(shown once\): (\S+)/.exec(admin.out)![1]!;
    printed.push(password);
    const login = (email: string, pw: string) =>
      api("/api/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: pw }) });
    expect((await login("ops@example.com", password)).status).toBe(200);
    const noRole = await cli(["user", "create", "--email", "v@example.com"]);
    expect([noRole.code, noRole.err]).toEqual([2, expect.stringContaining("--role is required")]);
    const weak = await cli(["user", "create", "--email", "v@example.com", "--role", "viewer", "--password-stdin"], { stdin: "short\n" });
    expect([weak.code, weak.err]).toEqual([1, expect.stringContaining("at least 10 characters")]);
    const viewer = await cli(["user", "create", "--email", "v@example.com", "--role", "viewer", "--project", "web-shop", "--password-stdin"], { stdin: "viewer password 1\n" });
    expect([viewer.code, viewer.out.includes("Password (shown once)")]).toEqual([0, false]);
    printed.push("viewer password 1");
    expect((await cli(["user", "list"])).out).toMatch(new RegExp(`v@example.com\\s+viewer\\s+${projectId}`));
    const pw = await cli(["user", "passwd", "v@example.com", "--password-stdin"], { stdin: "viewer password 2" });
    expect(pw.code).toBe(0);
    printed.push("viewer password 2");
    expect((await login("v@example.com", "viewer password 1")).status).toBe(401);
    expect((await login("v@example.com", "viewer password 2")).status).toBe(200);
    expect((await cli(["user", "delete", "v@example.com"])).code).toBe(2); // needs --yes
    expect((await cli(["user", "delete", "v@example.com", "--yes"])).code).toBe(0);
    const last = await cli(["user", "delete", "ops@example.com", "--yes"]);
    expect([last.code, last.err]).toEqual([1, expect.stringContaining("only admin")]);
  }, 60_000);

  test("token create prints the token alone on its last line; it works until revoked", async () => {
    const r = await cli(["token", "create", "--name", "grafana", "--scope", "read"]);
    expect(r.code).toBe(0);
    expect(r.last).toMatch(/^pat_[A-Za-z0-9_-]{43}$/);
    printed.push(r.last);
    expect((await api("/api/admin/projects", bearer(r.last))).status).toBe(200);
    expect(
      (await api("/api/admin/projects", { method: "POST", headers: { authorization: `Bearer ${r.last}`, "content-type": "application/json" }, body: '{"name":"x"}' })).status,
    ).toBe(403);
    const list = await cli(["token", "list"]);
    expect(list.out).toMatch(/grafana\s+read\s+pat_/);
    expect(list.out.includes(r.last)).toBe(false);
    const id = /Created read token (\d+)/.exec(r.out)![1]!;
    expect((await cli(["token", "revoke", id])).code).toBe(0);
    expect((await api("/api/admin/projects", bearer(r.last))).status).toBe(401);
    expect((await cli(["token", "create", "--name", "x", "--scope", "root"])).code).toBe(1);
  }, 30_000);

  test("share create / list / revoke", async () => {
    const r = await cli(["share", "create", "--project", "web-shop", "--name", "public"]);
    expect(r.code).toBe(0);
    const slug = new RegExp(`^http://127\\.0\\.0\\.1:${slot.port}/share/([A-Za-z0-9_-]{22})$`).exec(r.last)![1]!;
    printed.push(slug);
    const me = await api(`/api/auth/me?auth=${slug}`);
    expect(me.status).toBe(200);
    expect((await me.json()).projects.map((p: { id: number }) => p.id)).toEqual([projectId]);
    const list = await cli(["share", "list", "--project", "web-shop"]);
    expect(list.out).toMatch(/public\s+\S+…\s+no/);
    expect(list.out.includes(slug)).toBe(false);
    const id = /Created share link (\d+)/.exec(r.out)![1]!;
    expect((await cli(["share", "revoke", id])).code).toBe(0);
    expect((await api(`/api/auth/me?auth=${slug}`)).status).toBe(401);
  }, 30_000);

  test("project delete says how much first, and deletes only with --yes", async () => {
    const dry = await cli(["project", "delete", "web-shop"]);
    expect([dry.code, dry.out]).toEqual([1, expect.stringContaining("Nothing was deleted")]);
    expect((await cli(["project", "show", "web-shop"])).code).toBe(0);
    const del = await cli(["project", "delete", "web-shop", "--yes"]);
    expect([del.code, del.out]).toEqual([0, expect.stringContaining(`Deleted project ${projectId}`)]);
    const gone = await cli(["project", "show", "web-shop"]);
    expect([gone.code, gone.err]).toEqual([1, expect.stringContaining("no project")]);
    const badTz = await cli(["project", "create", "--name", "Tz", "--timezone", "Moon/Base"]);
    expect([badTz.code, badTz.err]).toEqual([1, expect.stringContaining("timezone:")]);
  }, 30_000);

  test("the server's log never shows a printed secret", () => {
    for (const s of printed) expect(server.output().includes(s)).toBe(false);
  });
});
