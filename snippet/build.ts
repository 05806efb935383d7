/**
 * Builds the browser snippet: snippet/src/snippet.ts → snippet/dist/snippet.js
 * (+ snippet/dist/snippet.meta.json, used by tests to detect a stale build).
 *
 *   bun run snippet/build.ts
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const ROOT = import.meta.dir;
export const SNIPPET_SOURCE = join(ROOT, "src", "snippet.ts");
export const SNIPPET_DIST = join(ROOT, "dist", "snippet.js");
export const SNIPPET_META = join(ROOT, "dist", "snippet.meta.json");

export interface SnippetMeta {
  sourceHash: string;
  bytes: number;
  gzipBytes: number;
}

/** Bundles + minifies the snippet in memory and returns the code. */
export async function buildSnippet(): Promise<string> {
  const result = await Bun.build({
    entrypoints: [SNIPPET_SOURCE],
    target: "browser",
    format: "iife",
    minify: true,
  });
  if (!result.success || !result.outputs[0]) {
    throw new AggregateError(result.logs, "snippet build failed");
  }
  return (await result.outputs[0].text()).trim() + "\n";
}

/** sha256 (hex) of snippet/src/snippet.ts. */
export async function snippetSourceHash(): Promise<string> {
  const src = await Bun.file(SNIPPET_SOURCE).text();
  return new Bun.CryptoHasher("sha256").update(src).digest("hex");
}

export function sizes(code: string): { bytes: number; gzipBytes: number } {
  const buf = new TextEncoder().encode(code);
  return { bytes: buf.byteLength, gzipBytes: Bun.gzipSync(buf).byteLength };
}

if (import.meta.main) {
  const code = await buildSnippet();
  const meta: SnippetMeta = { sourceHash: await snippetSourceHash(), ...sizes(code) };
  mkdirSync(join(ROOT, "dist"), { recursive: true });
  await Bun.write(SNIPPET_DIST, code);
  await Bun.write(SNIPPET_META, JSON.stringify(meta, null, 2) + "\n");
  console.log(`snippet/dist/snippet.js: ${meta.bytes} bytes raw, ${meta.gzipBytes} bytes gzipped`);
}
