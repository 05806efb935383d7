/**
 * src/errors.ts's ERROR_CODES is the one list of error codes the docs are derived from. This test
 * reads the source and fails when an error is raised with a code (or a status) the list lacks, so
 * a new code cannot reach clients undocumented.
 */
import { describe, expect, test } from "bun:test";
import { Glob } from "bun";
import { join } from "node:path";
import { ERROR_CODES } from "../src/errors.ts";
import { errorResponses } from "../src/http/error-docs.ts";

const SRC = join(import.meta.dir, "..", "src");

/** Every `(status, "code")` pair passed to AppError, errorResponse, the error handler's reply or super(), or declared as `{ status, code }`. */
async function raisedCodes(): Promise<{ file: string; status: number; code: string }[]> {
  const found: { file: string; status: number; code: string }[] = [];
  for await (const file of new Glob("**/*.ts").scan(SRC)) {
    const text = await Bun.file(join(SRC, file)).text();
    for (const m of text.matchAll(/\b(?:AppError|errorResponse|reply|super)\(\s*(\d{3}),\s*"([a-z_]+)"/g)) {
      found.push({ file, status: Number(m[1]), code: m[2]! });
    }
    // Codes raised from a table, such as the pipeline's drops that are answered as errors.
    for (const m of text.matchAll(/\bstatus:\s*(\d{3}),\s*code:\s*"([a-z_]+)"/g)) {
      found.push({ file, status: Number(m[1]), code: m[2]! });
    }
  }
  return found;
}

describe("ERROR_CODES", () => {
  test("lists every code the source raises, with the status it is raised with", async () => {
    const raised = await raisedCodes();
    expect(raised.length).toBeGreaterThan(15); // the scan sees the code base
    const wrong = raised.filter(({ status, code }) => ERROR_CODES[code as keyof typeof ERROR_CODES]?.status !== status);
    expect(wrong).toEqual([]);
  });

  test("lists no code that nothing raises", async () => {
    const raised = new Set((await raisedCodes()).map((r) => r.code));
    expect(Object.keys(ERROR_CODES).filter((c) => !raised.has(c))).toEqual([]);
  });

  test("errorResponses groups codes by status", () => {
    const docs = errorResponses("invalid_json", "empty_body", "rate_limited");
    expect(Object.keys(docs).sort()).toEqual(["400", "429"]);
    expect(docs[400]!.description).toContain("`invalid_json`");
    expect(docs[400]!.description).toContain("`empty_body`");
    expect((docs[429] as unknown as { headers: object }).headers).toHaveProperty("retry-after");
  });
});
