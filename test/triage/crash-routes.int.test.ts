import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "../support/app.ts";
import { until } from "../support/wait.ts";
import { client } from "../accounts/http-client.ts";

/**
 * The crash-group API as an admin and a viewer use it: list, detail, status changes (resolved,
 * in next release, ignored), deletion, and who may do what. Crashes go in through /api/crash.
 */
const ADMIN = { email: "triage-admin@example.com", password: "admin password 1" };
const VIEWER = { email: "triage-viewer@example.com", password: "viewer password 1" };
const repo = new URL("../../", import.meta.url).pathname;
let t: TestApp;
let admin: ReturnType<typeof client>;
let viewer: ReturnType<typeof client>;

const stack = (fn: string) =>
  `TypeError: x is undefined\n    at ${fn} (https://shop.example/assets/app.js:10:5)\n    at run (https://shop.example/assets/app.js:20:3)\n    at https://shop.example/node_modules/react-dom/index.js:1:1`;
const crash = (site: string, fn: string, release: string, extra: Record<string, unknown> = {}) => ({
  site,
  errorType: "TypeError",
  message: `x is undefined in ${fn}`,
  stack: stack(fn),
  release,
  platform: "web",
  ...extra,
});
let crashes = 0;
async function send(...bodies: Record<string, unknown>[]) {
  for (const [i, b] of bodies.entries()) expect((await t.post("/api/crash", b, { ip: `10.9.0.${(crashes + i) % 250}` })).status).toBe(202);
  crashes += bodies.length;
  expect(await t.waitForRows("crashes", crashes)).toBe(crashes);
}
const groupOf = async (fn: string) => (await t.sql`select id from crash_groups where message = ${`x is undefined in ${fn}`}`)[0]!.id as string;

beforeAll(async () => {
  t = await startTestApp({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } });
  admin = client(t.app);
  expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(200);
  const shop = await admin.post("/api/admin/projects", { name: "Shop", domains: ["shop.example"] });
  expect((await admin.post("/api/admin/projects", { name: "Blog", domains: ["blog.example"] })).status).toBe(201);
  expect((await admin.post("/api/admin/users", { ...VIEWER, role: "viewer", projectIds: [shop.body.project.id] })).status).toBe(201);
  viewer = client(t.app);
  expect((await viewer.login(VIEWER.email, VIEWER.password)).status).toBe(200);
  await send(
    crash("shop.example", "checkout", "1.0.0", { breadcrumbs: [{ category: "click", message: "Pay" }] }),
    crash("shop.example", "checkout", "1.2.0"),
    crash("shop.example", "checkout", "1.10.0"),
    crash("shop.example", "cart", "1.0.0"),
    crash("blog.example", "comments", "2.0.0"),
  );
});
afterAll(() => t.stop());

describe("reading crash groups", () => {
  test("nobody signed in → 401; a viewer sees only their project's groups; another project's group is a 404", async () => {
    const anon = await client(t.app).get("/api/crash-groups");
    expect(anon.status).toBe(401);
    const mine = await viewer.get("/api/crash-groups");
    expect(mine.status).toBe(200);
    expect(mine.body.groups.map((g: { site: string }) => g.site).sort()).toEqual(["shop.example", "shop.example"]);
    expect((await viewer.get("/api/crash-groups?site=blog.example")).status).toBe(403);
    expect((await viewer.get(`/api/crash-groups/${encodeURIComponent(await groupOf("comments"))}`)).status).toBe(404);
    expect((await admin.get("/api/crash-groups")).body.total).toBe(3);
  });

  test("filters, sorts and pages; a bad parameter is a 400 naming it", async () => {
    const byCount = await admin.get("/api/crash-groups?sort=occurrences&order=desc&limit=1");
    expect(byCount.body).toMatchObject({ total: 3, limit: 1, offset: 0 });
    expect(byCount.body.groups).toHaveLength(1);
    expect(byCount.body.groups[0]).toMatchObject({
      message: "x is undefined in checkout",
      occurrences: 3,
      affectedVisitors: 3,
      releases: ["1.0.0", "1.10.0", "1.2.0"],
      status: "new",
    });
    const page2 = await admin.get("/api/crash-groups?sort=occurrences&order=desc&limit=1&offset=1");
    expect(page2.body.groups[0].occurrences).toBe(1);
    expect((await admin.get("/api/crash-groups?release=1.10.0")).body.groups.map((g: { message: string }) => g.message)).toEqual(["x is undefined in checkout"]);
    expect((await admin.get("/api/crash-groups?site=blog.example&status=new")).body.total).toBe(1);
    expect((await admin.get("/api/crash-groups?status=resolved")).body.total).toBe(0);
    for (const [q, field] of [
      ["status=fixed", "status:"],
      ["sort=color", "sort:"],
      ["limit=0", "limit:"],
      ["order=up", "order:"],
    ]) {
      const r = await admin.get(`/api/crash-groups?${q}`);
      expect([r.status, r.body.error.message.slice(0, field!.length)]).toEqual([400, field]);
    }
  });

  test("detail: the latest crash with frames innermost first and in-app marked, breadcrumbs, releases newest first, daily counts, linked feedback", async () => {
    const id = await groupOf("checkout");
    const r = await viewer.get(`/api/crash-groups/${encodeURIComponent(id)}?days=7`);
    expect(r.status).toBe(200);
    expect(r.body.group).toMatchObject({ id, status: "new", occurrences: 3, triage: { resolvedInRelease: null } });
    expect(r.body.representative.frames[0]).toMatchObject({ function: "checkout", line: 10, inApp: true });
    expect(r.body.representative.frames.at(-1)).toMatchObject({ inApp: false });
    expect(r.body.releases.map((x: { release: string }) => x.release)).toEqual(["1.10.0", "1.2.0", "1.0.0"]);
    expect(r.body.platforms).toEqual([{ platform: "web", occurrences: 3 }]);
    expect(r.body.daily).toHaveLength(7);
    expect(r.body.daily.at(-1)).toEqual({ day: new Date().toISOString().slice(0, 10), occurrences: 3 });
    const first = await t.sql`select breadcrumbs from crashes where group_id = ${id} and release = '1.0.0'`;
    expect(first[0]!.breadcrumbs).toEqual([{ category: "click", message: "Pay" }]);
    expect(JSON.stringify(r.body)).not.toContain("visitor");
    expect(r.body.feedback).toEqual([]);
    // Feedback about one of its crashes shows on the group.
    const fb = await t.post("/api/feedback", { category: "bug", message: "Paying broke", associated_event_id: r.body.representative.id, site: "shop.example" });
    expect(fb.status).toBe(202);
    const withFeedback = await until(async () => {
      const d = await viewer.get(`/api/crash-groups/${encodeURIComponent(id)}`);
      return d.body.feedback.length === 1 ? d.body : null;
    }, "the feedback on the group");
    expect(withFeedback.feedback[0]).toMatchObject({ category: "bug", message: "Paying broke", status: "open", email: null });
    expect((await admin.get(`/api/crash-groups/${encodeURIComponent(id)}?days=500`)).status).toBe(400);
    expect((await admin.get("/api/crash-groups/not-a-group")).status).toBe(422);
  });
});

describe("changing a group", () => {
  test("a viewer cannot; a cross-site browser request cannot; an admin can", async () => {
    const id = encodeURIComponent(await groupOf("cart"));
    expect((await viewer.post(`/api/crash-groups/${id}/status`, { status: "resolved" })).status).toBe(403);
    const csrf = await admin.post(`/api/crash-groups/${id}/status`, { status: "resolved" }, { origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect([csrf.status, csrf.body.error.code]).toEqual([403, "csrf_rejected"]);
    expect((await admin.post(`/api/crash-groups/${id}/status`, { status: "regressed" })).status).toBe(422);
    expect((await admin.post(`/api/crash-groups/${id}/status`, { status: "ignored", ignoreCount: 0 })).status).toBe(422);
    const ok = await admin.post(`/api/crash-groups/${id}/status`, { status: "ignored", ignoreCount: 2 }, { origin: "http://localhost" });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ applied: true, group: { status: "ignored" } });
    await send(crash("shop.example", "cart", "1.0.0"));
    expect((await admin.get(`/api/crash-groups/${id}`)).body.group.status).toBe("ignored");
    await send(crash("shop.example", "cart", "1.0.0"));
    expect((await admin.get(`/api/crash-groups/${id}`)).body.group.status).toBe("ongoing");
  });

  test("resolved in next release: the same release keeps it resolved, a newer one regresses it and says which", async () => {
    const id = encodeURIComponent(await groupOf("checkout"));
    const r = await admin.post(`/api/crash-groups/${id}/status`, { status: "resolved", inNextRelease: true });
    expect(r.body.group.status).toBe("resolved");
    expect((await admin.get(`/api/crash-groups/${id}`)).body.group.triage.resolvedInRelease).toBe("1.10.0"); // 1.10.0 > 1.2.0
    await send(crash("shop.example", "checkout", "1.10.0"), crash("shop.example", "checkout", "1.9.0"));
    expect((await admin.get(`/api/crash-groups/${id}`)).body.group.status).toBe("resolved");
    await send(crash("shop.example", "checkout", "1.11.0"));
    expect((await admin.get(`/api/crash-groups/${id}`)).body.group).toMatchObject({ status: "regressed", regressedRelease: "1.11.0" });
    expect((await admin.get("/api/crash-groups?status=regressed")).body.total).toBe(1);
  });

  test("delete removes the group and its crashes, and a --rebuild brings back triage but not the deleted group", async () => {
    const gone = await groupOf("comments");
    const del = await admin.del(`/api/crash-groups/${encodeURIComponent(gone)}`);
    expect(del.body).toMatchObject({ applied: true, deleted: { group: gone, crashes: 1 } });
    expect((await admin.get(`/api/crash-groups/${encodeURIComponent(gone)}`)).status).toBe(404);
    expect((await t.sql`select count(*)::int as n from crashes where group_id = ${gone}`)[0]!.n).toBe(0);
    const before = await t.sql`select id, status, occurrences, regressed_release from crash_groups order by id`;
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", DATABASE_URL: t.db.url };
    // Not spawnSync: this process's delivery loop must keep running while the CLI rebuilds.
    const proc = Bun.spawn([process.execPath, "run", "src/cli/flowcore.ts", "backfill", "--rebuild", "--yes"], { cwd: repo, env, stdout: "pipe", stderr: "pipe" });
    expect(await proc.exited).toBe(0);
    const after = await until(async () => {
      const rows = await t.sql`select id, status, occurrences, regressed_release from crash_groups order by id`;
      return rows.length === before.length ? rows : null;
    }, "groups rebuilt");
    expect([...after]).toEqual([...before]);
  }, 30_000);

  test("the CLI takes the same options: crash status <group> ignored --count N, resolved --next-release", async () => {
    const id = await groupOf("cart");
    const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", DATABASE_URL: t.db.url };
    const run = async (...args: string[]) => {
      const p = Bun.spawn([process.execPath, "run", "src/cli/crash.ts", "status", id, ...args], { cwd: repo, env, stdout: "pipe", stderr: "pipe" });
      return { code: await p.exited, out: (await new Response(p.stdout).text()) + (await new Response(p.stderr).text()) };
    };
    const ignored = await run("ignored", "--count", "5");
    expect([ignored.code, ignored.out]).toEqual([0, expect.stringContaining("→ ignored until 5 more crashes")]);
    expect(ignored.out).toContain("Now: ignored.");
    const resolved = await run("resolved", "--next-release");
    expect([resolved.code, resolved.out]).toEqual([0, expect.stringContaining("for releases after 1.0.0")]);
    expect((await run("ignored", "--count", "zero")).code).toBe(2);
    expect((await admin.get(`/api/crash-groups/${encodeURIComponent(id)}`)).body.group).toMatchObject({ status: "resolved", triage: { resolvedInRelease: "1.0.0" } });
  }, 30_000);
});
