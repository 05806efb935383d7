/**
 * Builds the dashboard: dashboard/src/main.tsx (Preact + uPlot, CSS imported from it) →
 * dashboard/dist/assets/main-<hash>.js and .css, each with a gzipped twin, and
 * dashboard/dist/manifest.json, which the server reads to write the page's <script> and <link>.
 * Names carry a content hash, so the assets are cached forever and a new build is never mixed
 * with an old one. Run at install (`postinstall`) like the snippet's build.
 *
 *   bun run dashboard/build.ts
 */
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { basename, join } from "node:path";

const ROOT = import.meta.dir;
export const DASHBOARD_ENTRY = join(ROOT, "src", "main.tsx");
export const DASHBOARD_DIST = join(ROOT, "dist");
export const DASHBOARD_ASSETS = join(DASHBOARD_DIST, "assets");
export const DASHBOARD_MANIFEST = join(DASHBOARD_DIST, "manifest.json");

export interface DashboardManifest {
  /** File names under dist/assets/. */
  js: string;
  css: string;
  /** Gzipped size of all JavaScript loaded by the first page (the budget is 100 KB). */
  jsGzipBytes: number;
  cssGzipBytes: number;
}

export async function buildDashboard(): Promise<DashboardManifest> {
  rmSync(DASHBOARD_DIST, { recursive: true, force: true });
  mkdirSync(DASHBOARD_ASSETS, { recursive: true });
  const result = await Bun.build({
    entrypoints: [DASHBOARD_ENTRY],
    outdir: DASHBOARD_ASSETS,
    target: "browser",
    format: "esm",
    minify: true,
    naming: { entry: "[name]-[hash].[ext]", asset: "[name]-[hash].[ext]", chunk: "[name]-[hash].[ext]" },
    define: { "process.env.NODE_ENV": '"production"' },
  });
  if (!result.success) throw new AggregateError(result.logs, "dashboard build failed");
  let js = "";
  let css = "";
  let jsGzipBytes = 0;
  let cssGzipBytes = 0;
  for (const out of result.outputs) {
    const name = basename(out.path);
    const bytes = new Uint8Array(await out.arrayBuffer());
    const gz = Bun.gzipSync(bytes, { level: 9 });
    await Bun.write(`${out.path}.gz`, gz);
    if (name.endsWith(".js")) {
      js = name;
      jsGzipBytes += gz.byteLength;
    } else if (name.endsWith(".css")) {
      css = name;
      cssGzipBytes += gz.byteLength;
    }
  }
  if (!js || !css) throw new Error(`dashboard build produced ${readdirSync(DASHBOARD_ASSETS).join(", ")}; expected one .js and one .css`);
  const manifest: DashboardManifest = { js, css, jsGzipBytes, cssGzipBytes };
  await Bun.write(DASHBOARD_MANIFEST, JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}

if (import.meta.main) {
  const m = await buildDashboard();
  console.log(`dashboard/dist/assets/${m.js}: ${m.jsGzipBytes} bytes gzipped; ${m.css}: ${m.cssGzipBytes} bytes gzipped`);
}
