/**
 * Harness for the snippet e2e tests: the real app listening on 127.0.0.1, a site server on another
 * port (another origin) that serves test pages, and Chromium pages whose requests to the API are
 * tracked, so a test can wait until everything a page sent has been answered.
 */
import type { Browser, BrowserContext, Page, Request as PwRequest } from "playwright-core";
import { buildApp } from "../../src/app.ts";
import type { TestApp } from "../support/app.ts";
import { BROWSER_UA } from "../support/browser.ts";

/** The documented one-line queue stub. */
export const STUB = "window.trackEvent=window.trackEvent||function(){(window.trackEvent.q=window.trackEvent.q||[]).push(arguments)}";

/** Site code with named functions, so crash stacks have real files, functions and lines. */
const APP_JS = `function explode(message) {
  throw new TypeError(message);
}
window.crashLater = function crashLater(message) {
  setTimeout(function onTimer() { explode(message); });
};
window.rejectLater = function rejectLater(message) {
  Promise.reject(new RangeError(message));
};
window.rejectPlain = function rejectPlain(value) {
  Promise.reject(value);
};
`;

export interface PageOptions {
  /** API origin for data-api and the script src. */
  api: string;
  /** Add data-allow-localhost (default true: the test pages live on 127.0.0.1). */
  allowLocalhost?: boolean;
  /** Call trackEvent through the stub before the snippet loads. */
  queued?: string;
  /** Paste the built code into an inline <script data-api=…> instead of loading /snippet.js. */
  inlineCode?: string;
}

export function pageHtml(o: PageOptions): string {
  const allow = o.allowLocalhost === false ? "" : " data-allow-localhost";
  const snippet = o.inlineCode ? `<script data-api="${o.api}"${allow}>${o.inlineCode}</script>` : `<script async src="${o.api}/snippet.js" data-api="${o.api}"${allow}></script>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>e2e</title>
<script>${STUB}</script>
${o.queued ? `<script>${o.queued}</script>` : ""}
<script src="/app.js"></script>
${snippet}
</head><body><p>e2e page</p></body></html>`;
}

/** Serves test pages: GET /app.js, and any other path → a page with `optionsFor(path)`. */
export function startSiteServer(optionsFor: (path: string) => PageOptions) {
  return Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const { pathname } = new URL(req.url);
      if (pathname === "/app.js") return new Response(APP_JS, { headers: { "content-type": "text/javascript" } });
      if (pathname === "/favicon.ico") return new Response(null, { status: 204 });
      return new Response(pageHtml(optionsFor(pathname)), { headers: { "content-type": "text/html; charset=utf-8" } });
    },
  });
}

/** The real app (with the test app's runtime) listening on an ephemeral loopback port. */
export function listenApi(t: TestApp, own = false) {
  const app = own ? buildApp(t.runtime.deps) : t.app;
  app.listen({ port: 0, hostname: "127.0.0.1" });
  return { app, origin: `http://127.0.0.1:${app.server!.port}` };
}

import { until } from "../support/wait.ts";
export { until };

export interface OpenPage {
  ctx: BrowserContext;
  page: Page;
  /** Uncaught exceptions and unhandled rejections the page saw. */
  pageErrors: string[];
  /** Paths of every request the page made to the API's /api/*, in order. */
  sent: string[];
  failed: string[];
  pending: Set<PwRequest>;
}

export async function openPage(browser: Browser, url: string, api: string, init?: { optOut?: boolean }): Promise<OpenPage> {
  const ctx = await browser.newContext({ userAgent: BROWSER_UA });
  if (init?.optOut) await ctx.addInitScript("try { localStorage.setItem('analytics_ignore', 'true') } catch {}");
  const page = await ctx.newPage();
  const o: OpenPage = { ctx, page, pageErrors: [], sent: [], failed: [], pending: new Set() };
  const mine = (r: PwRequest) => r.url().startsWith(api + "/api/") && !r.url().endsWith("?barrier");
  page.on("pageerror", (e) => o.pageErrors.push(e.message));
  page.on("request", (r) => {
    if (!mine(r)) return;
    o.sent.push(new URL(r.url()).pathname);
    o.pending.add(r);
  });
  page.on("requestfinished", (r) => o.pending.delete(r));
  page.on("requestfailed", (r) => {
    if (!mine(r)) return;
    o.failed.push(new URL(r.url()).pathname);
    o.pending.delete(r);
  });
  await page.goto(url, { waitUntil: "load" });
  return o;
}

/**
 * Proves "everything the page sent so far is in the tables" without sleeping:
 * 1. the page itself posts a marker (initiated after anything the snippet sent) and awaits it;
 * 2. every request the page made to the API has been answered (202 = durable in the event log);
 * 3. a second marker is appended after all of those and we wait for its row: the delivery loop
 *    projects in log order, so every earlier event has been projected too.
 */
export async function barrier(t: TestApp, o: OpenPage, api: string): Promise<void> {
  await o.page.evaluate(
    (u) =>
      fetch(u, { method: "POST", body: JSON.stringify({ eventName: "barrier", pathname: "/barrier" }) }).then(
        () => undefined,
        () => undefined,
      ),
    api + "/api/event?barrier",
  );
  await until(() => o.pending.size === 0, "the page's API requests to finish");
  const id = crypto.randomUUID();
  const res = await t.post("/api/event", { eventName: "barrier", pathname: "/barrier", site: "barrier.test", customProperties: { id } });
  if (res.status !== 202) throw new Error(`barrier marker rejected: ${res.status} ${await res.text()}`);
  await until(async () => (await t.sql`select 1 from custom_events where properties->>'id' = ${id}`).length === 1, "the barrier marker row");
}

/** Rows of `table` whose pathname starts with `prefix` (none while the table does not exist yet). */
export async function rowsUnder(t: TestApp, table: "pageviews" | "custom_events" | "crashes", prefix: string) {
  const [exists] = await t.sql`select to_regclass(${"public." + table})::text as t`;
  if (!exists?.t) return [];
  return t.sql`select * from ${t.sql(table)} where pathname like ${prefix + "%"} order by occurred_at, id`;
}
