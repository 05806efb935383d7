/**
 * Login, the session cookie and CSRF in real headless Chromium against the real API on
 * 127.0.0.1: the cookie is HttpOnly (no script reads it), works for same-origin requests, and a
 * page on another origin cannot make the signed-in browser change anything — neither a
 * same-site page on another port (the cookie is sent; the Origin check refuses) nor a cross-site
 * page (SameSite=Lax keeps the cookie back, and the Origin check refuses too).
 *
 * Skipped with a notice when Chromium is missing (fails if REQUIRE_CHROMIUM=1).
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, BrowserContext } from "playwright-core";
import { listenApi } from "../e2e/harness.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { BROWSER_UA, chromiumAvailable, launchChromium } from "../support/browser.ts";

const available = chromiumAvailable() || process.env.REQUIRE_CHROMIUM === "1";
setDefaultTimeout(30_000);

const ADMIN = { email: "browser-admin@example.com", password: "browser admin pw" };
let t: TestApp;
let api: ReturnType<typeof listenApi>;
let attacker: ReturnType<typeof Bun.serve>;
let browser: Browser | null = null;
let ctx: BrowserContext;

/** Pages with a form that posts (as a browser form does) to the admin API, and a fetch button. */
const attackPage = (apiOrigin: string, name: string) => `<!doctype html><html><body>
<form id="f" method="POST" action="${apiOrigin}/api/admin/projects"><input name="name" value="${name}"></form>
</body></html>`;

beforeAll(async () => {
  if (!available) return;
  t = await startTestApp({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } });
  api = listenApi(t);
  attacker = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (req) => new Response(attackPage(api.origin, new URL(req.url).searchParams.get("name") ?? "Evil"), { headers: { "content-type": "text/html" } }),
  });
  browser = await launchChromium();
  ctx = await browser!.newContext({ userAgent: BROWSER_UA });
});
afterAll(async () => {
  await ctx?.close();
  await browser?.close();
  attacker?.stop(true);
  api?.app.stop();
  await t?.stop();
});

const projectsNamed = async (name: string) => (await t.sql`select 1 from projects where name = ${name}`).length;

describe.skipIf(!available)("session cookie and CSRF in Chromium", () => {
  test("login from our own page sets an HttpOnly cookie that same-origin requests carry", async () => {
    const page = await ctx.newPage();
    await page.goto(`${api.origin}/healthz`);
    const login = await page.evaluate(
      async (body) => (await fetch("/api/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body })).status,
      JSON.stringify(ADMIN),
    );
    expect(login).toBe(200);
    expect(await page.evaluate(() => document.cookie)).not.toContain("pa_session");
    const cookie = (await ctx.cookies(api.origin)).find((c) => c.name === "pa_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false });
    const me = await page.evaluate(async () => (await (await fetch("/api/auth/me")).json()).kind);
    expect(me).toBe("session");
    const created = await page.evaluate(
      async () => (await fetch("/api/admin/projects", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Legit" }) })).status,
    );
    expect(created).toBe(201);
    expect(await projectsNamed("Legit")).toBe(1);
    await page.close();
  });

  test("a same-site page on another port: the browser sends the cookie, the Origin check refuses", async () => {
    const page = await ctx.newPage();
    await page.goto(`http://127.0.0.1:${attacker.port}/?name=SameSiteEvil`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${api.origin}/api/admin/projects`)),
      page.evaluate(() => (document.getElementById("f") as HTMLFormElement).submit()),
    ]);
    expect(response.status()).toBe(403);
    expect(await response.request().headerValue("cookie")).toContain("pa_session=");
    expect((await response.json()).error.code).toBe("csrf_rejected");
    expect(await projectsNamed("SameSiteEvil")).toBe(0);
    await page.close();
  });

  test("a cross-site page: SameSite=Lax keeps the cookie back, and the request is refused", async () => {
    const page = await ctx.newPage();
    await page.goto(`http://localhost:${attacker.port}/?name=CrossSiteEvil`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${api.origin}/api/admin/projects`)),
      page.evaluate(() => (document.getElementById("f") as HTMLFormElement).submit()),
    ]);
    expect(await response.request().headerValue("cookie")).toBeNull();
    expect(response.status()).toBe(403);
    // A script on that page cannot do it either (credentialed fetch, readable or not).
    const scripted = await ctx.newPage();
    await scripted.goto(`http://localhost:${attacker.port}/?name=x`);
    await scripted.evaluate(
      (u) =>
        fetch(u, { method: "POST", credentials: "include", mode: "no-cors", headers: { "content-type": "text/plain" }, body: JSON.stringify({ name: "CrossSiteFetch" }) }).catch(
          () => undefined,
        ),
      `${api.origin}/api/admin/projects`,
    );
    expect(await projectsNamed("CrossSiteEvil")).toBe(0);
    expect(await projectsNamed("CrossSiteFetch")).toBe(0);
    await scripted.close();
    await page.close();
  });
});
