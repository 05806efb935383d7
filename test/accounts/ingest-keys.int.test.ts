import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { AccountsDb } from "../../src/accounts/db.ts";
import { createKey, revokeKey } from "../../src/accounts/keys.ts";
import { createProject } from "../../src/accounts/projects.ts";
import { CHROME_UA, startTestApp, type TestApp } from "../support/app.ts";
import { until } from "../support/wait.ts";
import { dumpEveryTable } from "./dump.ts";

/**
 * Public keys on the ingest path: a keyed request is attributed to the key's project and skips
 * the user-agent bot filter; unknown or revoked keys get 401, a key used for another project's
 * site 403; browser ingest without a key is unchanged.
 */
const PYTHON = "python-requests/2.32.3";
let t: TestApp;
let db: AccountsDb;
let shopKey: string;
let shopId: number;
let appKey: string;

beforeAll(async () => {
  t = await startTestApp();
  db = { sql: t.runtime.deps.database.sql, ensureSchema: t.runtime.deps.ensureSchema };
  const shop = await createProject(db, { name: "Shop", domains: ["shop.example", "m.shop.example"] }, {});
  [shopKey, shopId] = [shop.key, shop.id];
  appKey = (await createProject(db, { name: "Mobile App" }, {})).key;
  await createProject(db, { name: "Blog", domains: ["blog.example"] });
});
afterAll(() => t.stop());

const send = (path: string, body: unknown, headers: Record<string, string>) => t.post(path, body, { headers });
async function siteOf(id: string, table = "pageviews"): Promise<string> {
  return until(async () => (await t.sql.unsafe(`select site from ${table} where id = $1`, [id]))[0]?.site as string | undefined, `row ${id} in ${table}`);
}

describe("a valid key", () => {
  test("X-API-Key: attributed to the project, and python-requests is not dropped as a bot", async () => {
    const r = await send("/api/pageview", { pathname: "/checkout" }, { "x-api-key": shopKey, "user-agent": PYTHON });
    expect(r.status).toBe(202);
    const { id } = await r.json();
    expect(await siteOf(id)).toBe("shop.example");
    // The event itself carries the project the key proved.
    const [logged] = await t.sql<{ payload: { projectId?: number } }[]>`select payload from event_log where ingest_id = ${id}`;
    expect(logged!.payload.projectId).toBe(shopId);
    // The same sender without a key is a bot, as before.
    const anon = await send("/api/pageview", { pathname: "/checkout", site: "shop.example" }, { "user-agent": PYTHON });
    expect([anon.status, await anon.json()]).toEqual([200, { accepted: false, reason: "bot" }]);
  });

  test("Authorization: Bearer pk_…; a site of the project in the body is kept", async () => {
    const r = await send("/api/event", { eventName: "signup", site: "m.shop.example" }, { authorization: `Bearer ${shopKey}`, "user-agent": "okhttp/4.12.0" });
    expect(r.status).toBe(202);
    expect(await siteOf((await r.json()).id, "custom_events")).toBe("m.shop.example");
  });

  test("an app project without domains stores its events under its slug; crashes too", async () => {
    const r = await send("/api/crash", { errorType: "NullPointerException", message: "boom" }, { "x-api-key": appKey, "user-agent": "MyApp/1.0 (Android 14)" });
    expect(r.status).toBe(202);
    expect(await siteOf((await r.json()).id, "crashes")).toBe("mobile-app");
  });

  test("the key decides the project, not the Origin of a webview", async () => {
    const r = await send("/api/pageview", { pathname: "/" }, { "x-api-key": appKey, origin: "tauri://localhost", "user-agent": CHROME_UA });
    expect(r.status).toBe(202);
    expect(await siteOf((await r.json()).id)).toBe("mobile-app");
  });
});

describe("refused keys", () => {
  test("a key used for another project's site, or a site no project owns, is 403", async () => {
    for (const site of ["blog.example", "elsewhere.example"]) {
      const r = await send("/api/pageview", { pathname: "/", site }, { "x-api-key": shopKey, "user-agent": PYTHON });
      expect(r.status).toBe(403);
      const body = await r.json();
      expect(body.error.code).toBe("wrong_project");
      expect(body.error.message).toContain(site);
      expect(body.error.message).not.toContain(shopKey);
    }
  });

  test("unknown and revoked keys are 401, whatever the user agent", async () => {
    const p = await createProject(db, { name: "Temp", domains: ["temp.example"] });
    const { key, record } = await createKey(db, p.id, { name: "soon revoked" });
    expect((await send("/api/pageview", { pathname: "/" }, { "x-api-key": key, "user-agent": CHROME_UA })).status).toBe(202);
    await revokeKey(db, record.id);
    for (const k of [key, "pk_temp_0000000000000000"]) {
      const r = await send("/api/pageview", { pathname: "/" }, { "x-api-key": k, "user-agent": CHROME_UA });
      expect([r.status, (await r.json()).error.code]).toEqual([401, "invalid_key"]);
    }
  });

  test("an imported key works like a generated one", async () => {
    await createProject(db, { name: "Migrated", domains: ["migrated.example"] }, { key: "legacy-0123456789abcdef" });
    const r = await send("/api/pageview", { pathname: "/" }, { "x-api-key": "legacy-0123456789abcdef", "user-agent": PYTHON });
    expect(r.status).toBe(202);
    expect(await siteOf((await r.json()).id)).toBe("migrated.example");
  });
});

describe("keys at rest", () => {
  test("no key used above is stored in clear anywhere (tables or event payloads)", async () => {
    const { text } = await dumpEveryTable(t.sql);
    for (const k of [shopKey, appKey, "legacy-0123456789abcdef"]) expect(text.includes(k)).toBe(false);
    expect(text).toContain(shopKey.slice(0, "pk_shop_".length + 4)); // the display prefix is
  });
});

describe("browser ingest without a key", () => {
  test("is unchanged: any site is accepted and kept under its name", async () => {
    const r = await send("/api/pageview", { pathname: "/" }, { origin: "https://www.unregistered.example", "user-agent": CHROME_UA });
    expect(r.status).toBe(202);
    const { id } = await r.json();
    expect(await siteOf(id)).toBe("unregistered.example");
    const [logged] = await t.sql<{ payload: { projectId?: number } }[]>`select payload from event_log where ingest_id = ${id}`;
    expect("projectId" in logged!.payload).toBe(false);
  });

  test("REGISTERED_SITES_ONLY=true drops sites no project owns", async () => {
    const strict = await startTestApp({ env: { REGISTERED_SITES_ONLY: "true" }, delivery: false });
    try {
      await createProject({ sql: strict.runtime.deps.database.sql, ensureSchema: strict.runtime.deps.ensureSchema }, { name: "Known", domains: ["known.example"] });
      const ok = await strict.post("/api/pageview", { pathname: "/", site: "known.example" });
      expect(ok.status).toBe(202);
      const dropped = await strict.post("/api/pageview", { pathname: "/", site: "unknown.example" });
      expect([dropped.status, await dropped.json()]).toEqual([200, { accepted: false, reason: "unknown_site" }]);
    } finally {
      await strict.stop();
    }
  });
});
