import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Elysia } from "elysia";
import type { DashboardManifest } from "../../dashboard/build.ts";
import { AppError } from "../errors.ts";

const DIST = fileURLToPath(new URL("../../dashboard/dist/", import.meta.url));
const ASSET_NAME = /^[A-Za-z0-9_-]+-[a-z0-9]+\.(js|css)$/;
const TYPES: Record<string, string> = { js: "text/javascript; charset=utf-8", css: "text/css; charset=utf-8" };

/**
 * The Content-Security-Policy of every dashboard page: only this origin's scripts, styles,
 * images and API (no inline script, nothing from a third party), no plugins, no <base>
 * hijacking. `frame-ancestors` is the only thing that differs: pages refuse to be framed
 * (clickjacking on the triage and settings buttons), except share links, which are read-only
 * and meant to be embedded in another site.
 */
export function contentSecurityPolicy(embeddable: boolean): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${embeddable ? "*" : "'none'"}`,
  ].join("; ");
}

/** Security headers of an HTML page of the dashboard. */
export function pageHeaders(embeddable: boolean): Record<string, string> {
  return {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": contentSecurityPolicy(embeddable),
    ...(embeddable ? {} : { "x-frame-options": "DENY" }),
    "x-content-type-options": "nosniff",
    // A share link's slug is its secret: never send it on in a Referer.
    "referrer-policy": "no-referrer",
    "cache-control": "no-cache",
  };
}

/** The one HTML page; the client-side router draws the screen for the path. */
export function pageHtml(m: Pick<DashboardManifest, "js" | "css">): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Analytics</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/${m.css}">
<script type="module" src="/assets/${m.js}"></script>
</head>
<body>
<div id="app"></div>
<noscript>The dashboard needs JavaScript. The same numbers are in the Stats API: POST /api/v1/query.</noscript>
</body>
</html>
`;
}

let manifest: Promise<DashboardManifest> | null = null;
function readManifest(): Promise<DashboardManifest> {
  manifest ??= Bun.file(`${DIST}manifest.json`)
    .json()
    .catch(() => {
      manifest = null;
      throw new AppError(503, "dashboard_not_built", "the dashboard is not built: run `bun run build:dashboard` (it runs on `bun install`)");
    });
  return manifest;
}

/** Paths the dashboard draws (everything else stays the API's, with its JSON 404). */
const PAGES = ["/", "/login", "/setup", "/settings", "/settings/*", "/sites/*", "/share/*"];

/**
 * The web dashboard: its HTML page on the paths above, and its hashed assets under /assets/
 * (immutable; gzipped when the browser accepts it). Everything is served from this process.
 */
export function dashboardRoutes() {
  const page = async ({ request }: { request: Request }) => {
    const embeddable = new URL(request.url).pathname.startsWith("/share/");
    return new Response(pageHtml(await readManifest()), { headers: pageHeaders(embeddable) });
  };
  const app = new Elysia({ name: "dashboard" }).get(
    "/assets/:file",
    async ({ params, request }) => {
      const name = params.file;
      const path = `${DIST}assets/${name}`;
      if (!ASSET_NAME.test(name) || !existsSync(path)) throw new AppError(404, "not_found", `no dashboard asset "${name.slice(0, 100)}"`);
      const gzip = /\bgzip\b/.test(request.headers.get("accept-encoding") ?? "") && existsSync(`${path}.gz`);
      const headers: Record<string, string> = {
        "content-type": TYPES[name.slice(name.lastIndexOf(".") + 1)]!,
        // The name changes with the content, so a cached copy is never stale.
        "cache-control": "public, max-age=31536000, immutable",
        "x-content-type-options": "nosniff",
        vary: "accept-encoding",
      };
      if (gzip) headers["content-encoding"] = "gzip";
      return new Response(Bun.file(gzip ? `${path}.gz` : path), { headers });
    },
    { detail: { summary: "A dashboard asset (content-hashed name, cached forever)", tags: ["dashboard"] } },
  );
  for (const path of PAGES) app.get(path, page, { detail: { hide: true } });
  return app;
}
