import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { buildSnippet, README, readmeInlineCode, SNIPPET_DIST, SNIPPET_META, sizes, snippetSourceHash, type SnippetMeta } from "../../snippet/build.ts";

const STALE = "snippet/dist is stale or missing — run `bun run snippet/build.ts` and commit snippet/dist/";

describe("snippet build", () => {
  test("standard snippet is ≤ 1024 bytes gzipped", async () => {
    const code = await buildSnippet();
    const { gzipBytes } = sizes(code);
    expect(code).not.toContain("import ");
    expect(code).toContain("/api/");
    expect(code).toContain("analytics_ignore");
    expect(gzipBytes).toBeLessThanOrEqual(1024);
  });

  test("committed snippet/dist is up to date with snippet/src", async () => {
    if (!existsSync(SNIPPET_DIST) || !existsSync(SNIPPET_META)) throw new Error(STALE);
    const meta = JSON.parse(readFileSync(SNIPPET_META, "utf8")) as SnippetMeta;
    const hash = await snippetSourceHash();
    if (meta.sourceHash !== hash) throw new Error(`${STALE} (source hash ${hash} ≠ meta ${meta.sourceHash})`);
    const dist = readFileSync(SNIPPET_DIST, "utf8");
    if (dist !== (await buildSnippet())) throw new Error(`${STALE} (dist differs from a fresh build)`);
    const s = sizes(dist);
    expect({ bytes: meta.bytes, gzipBytes: meta.gzipBytes }).toEqual(s);
  });

  test("README's copy-paste inline version is the built snippet", () => {
    const inline = readmeInlineCode(readFileSync(README, "utf8"));
    if (inline === null) throw new Error("README.md has no snippet:inline block (see the browser snippet section)");
    if (inline !== readFileSync(SNIPPET_DIST, "utf8").trim()) throw new Error("README inline version is stale — run `bun run snippet/build.ts`");
  });
});
