import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { buildDashboard, DASHBOARD_MANIFEST, type DashboardManifest } from "../../dashboard/build.ts";
import { dashboardRoutes } from "../../src/http/dashboard-routes.ts";

let manifest: DashboardManifest;
const app = dashboardRoutes();
const get = (path: string, headers: Record<string, string> = {}) => app.handle(new Request(`http://localhost${path}`, { headers }));

beforeAll(async () => {
  // `bun install` builds it; build here when a checkout has not run the postinstall yet.
  manifest = existsSync(DASHBOARD_MANIFEST) ? await Bun.file(DASHBOARD_MANIFEST).json() : await buildDashboard();
}, 60_000);

describe("dashboard bundle", () => {
  test("first load is at most 100 KB of gzipped JavaScript", async () => {
    const gz = Bun.gzipSync(new Uint8Array(await Bun.file(`dashboard/dist/assets/${manifest.js}`).arrayBuffer()), { level: 9 });
    expect(gz.byteLength).toBeLessThanOrEqual(100 * 1024);
    expect(manifest.jsGzipBytes).toBe(gz.byteLength);
  });

  test("asset names carry a content hash", () => {
    expect(manifest.js).toMatch(/^main-[a-z0-9]{6,}\.js$/);
    expect(manifest.css).toMatch(/^main-[a-z0-9]{6,}\.css$/);
  });

  test("the bundle names no other origin to load from", async () => {
    const js = await Bun.file(`dashboard/dist/assets/${manifest.js}`).text();
    const css = await Bun.file(`dashboard/dist/assets/${manifest.css}`).text();
    // No fonts, stylesheets or scripts fetched from elsewhere (a CDN, a font service).
    expect(css).not.toMatch(/url\(\s*["']?(https?:)?\/\//);
    expect(css).not.toMatch(/@import/);
    expect(js).not.toMatch(/fonts\.googleapis|cdn\.jsdelivr|unpkg\.com|cdnjs/);
  });
});

describe("dashboard pages", () => {
  test("every screen path answers the page with a strict CSP and no inline script", async () => {
    for (const path of ["/", "/login", "/setup", "/settings", "/sites/example.com", "/sites/example.com/crashes/g2:abc"]) {
      const res = await get(path);
      expect(res.status).toBe(200);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      const html = await res.text();
      // Every <script> has a src (the CSP would block an inline one anyway).
      expect(html.match(/<script\b[^>]*>/g)?.every((tag) => / src="\/assets\/main-[a-z0-9]+\.js"/.test(tag))).toBe(true);
      expect(html).toContain(`/assets/${manifest.css}`);
    }
  });

  test("share links may be embedded in another site, and never leak their slug in a Referer", async () => {
    const res = await get("/share/abc123");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors *");
    expect(res.headers.get("x-frame-options")).toBeNull();
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  });

  test("API paths are not the dashboard's", async () => {
    const res = await get("/api/nothing-here");
    expect(res.headers.get("content-type") ?? "").not.toContain("text/html");
  });
});

describe("dashboard assets", () => {
  test("served with an immutable cache, gzipped when accepted", async () => {
    const plain = await get(`/assets/${manifest.js}`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toContain("text/javascript");
    expect(plain.headers.get("cache-control")).toContain("immutable");
    expect(plain.headers.get("content-encoding")).toBeNull();
    const body = await plain.text();
    const gz = await get(`/assets/${manifest.js}`, { "accept-encoding": "gzip, br" });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(new TextDecoder().decode(Bun.gunzipSync(new Uint8Array(await gz.arrayBuffer())))).toBe(body);
  });

  test("unknown or path-traversing names get 404", async () => {
    for (const name of ["nope-abc123.js", "..%2F..%2Fpackage.json", "manifest.json", "main.js"]) {
      const res = await get(`/assets/${name}`);
      expect(res.status).toBe(404);
    }
  });
});
