/**
 * Builds the browser snippet: snippet/src/snippet.ts → snippet/dist/snippet.js
 * (+ snippet/dist/snippet.meta.json, used by tests to detect a stale build), and refreshes the
 * copy-paste inline version in README.md (the block between the snippet:inline markers).
 *
 *   bun run snippet/build.ts
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const ROOT = import.meta.dir;
export const SNIPPET_SOURCE = join(ROOT, "src", "snippet.ts");
export const SNIPPET_DIST = join(ROOT, "dist", "snippet.js");
export const SNIPPET_META = join(ROOT, "dist", "snippet.meta.json");
export const README = join(ROOT, "..", "README.md");
/** The opt-in Web Vitals add-on, a separate file so the snippet's size is untouched. */
export const VITALS_SOURCE = join(ROOT, "src", "vitals.ts");
export const VITALS_DIST = join(ROOT, "dist", "snippet.vitals.js");

/** The README's inline version: `<script data-api="…">CODE</script>` between the markers. */
const INLINE = /(<!-- snippet:inline[^\n]*-->\n```html\n<script [^>]*>)(.*)(<\/script>\n```\n<!-- \/snippet:inline -->)/;

/** The code in the README's inline version, or null when the block is missing. */
export function readmeInlineCode(readme: string): string | null {
  return INLINE.exec(readme)?.[2] ?? null;
}

/** The README with its inline version replaced by `code` (unchanged when there is no block). */
export function withReadmeInlineCode(readme: string, code: string): string {
  return readme.replace(INLINE, (_, open: string, _old: string, close: string) => open + code.trim() + close);
}

export interface SnippetMeta {
  sourceHash: string;
  bytes: number;
  gzipBytes: number;
}

/** Bundles + minifies the snippet (or the vitals add-on) in memory and returns the code. */
export async function buildSnippet(source = SNIPPET_SOURCE): Promise<string> {
  const result = await Bun.build({
    entrypoints: [source],
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
  const vitals = await buildSnippet(VITALS_SOURCE);
  await Bun.write(VITALS_DIST, vitals);
  console.log(`snippet/dist/snippet.vitals.js: ${sizes(vitals).bytes} bytes raw, ${sizes(vitals).gzipBytes} bytes gzipped`);
  if (existsSync(README)) {
    const readme = await Bun.file(README).text();
    const updated = withReadmeInlineCode(readme, code);
    if (updated !== readme) {
      await Bun.write(README, updated);
      console.log("README.md: inline version updated");
    }
  }
}
