import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { SNIPPET_DIST } from "../../snippet/build.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

// That snippet/dist is not stale relative to snippet/src is proven in test/snippet/snippet-build.test.ts.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ delivery: false });
});
afterAll(() => t.stop());

const get = (headers: Record<string, string> = {}) => t.app.handle(new Request("http://localhost/snippet.js", { headers }));

describe("GET /snippet.js", () => {
  test("serves the built snippet as JavaScript, cacheable, with an ETag and CORS", async () => {
    const res = await get({ origin: "https://blog.example.org" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("text/javascript");
    expect(res.headers.get("cache-control")).toMatch(/max-age=\d+/);
    expect(res.headers.get("etag")).toMatch(/^"[^"]+"$/);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await res.text()).toBe(readFileSync(SNIPPET_DIST, "utf8"));
  });

  test("If-None-Match with the current ETag → 304 without a body; a stale ETag → 200", async () => {
    const etag = (await get()).headers.get("etag")!;
    for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const res = await get({ "if-none-match": inm });
      expect({ inm, status: res.status }).toEqual({ inm, status: 304 });
      expect(res.headers.get("etag")).toBe(etag);
      expect(res.headers.get("cache-control")).toMatch(/max-age=\d+/);
      expect(await res.text()).toBe("");
    }
    const stale = await get({ "if-none-match": '"not-the-current-one"' });
    expect(stale.status).toBe(200);
    expect((await stale.text()).length).toBeGreaterThan(0);
  });
});
