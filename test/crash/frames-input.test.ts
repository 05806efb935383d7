import { describe, expect, test } from "bun:test";
import { normalizeClientFrames } from "../../src/crash/frames-input.ts";
import { frame, nativeFrame } from "./helpers.ts";

describe("normalizeClientFrames", () => {
  test("accepts the Oasis RFC shape", () => {
    const input = [
      { file: "tauri://localhost/assets/index-BvK3x9Qa.js", line: 12, column: 4, function: "save" },
      { file: "/app/node_modules/zod/lib/index.js", line: 5, column: 1, function: "parse" },
      { function: "JSON.parse", isNative: true },
    ];
    expect(normalizeClientFrames(input)).toEqual([
      frame("tauri://localhost/assets/index-BvK3x9Qa.js", "save", 12, 4, true),
      frame("/app/node_modules/zod/lib/index.js", "parse", 5, 1, false),
      nativeFrame("JSON.parse"),
    ]);
  });

  test("accepts filename/lineno/colno/method spellings", () => {
    expect(normalizeClientFrames([{ filename: "node:fs", lineno: 3, colno: 9, method: "readFileSync" }])).toEqual([frame("node:fs", "readFileSync", 3, 9, false)]);
  });

  test("bad numbers become null, long strings are capped, junk entries are dropped", () => {
    const frames = normalizeClientFrames([
      { file: "a.js", line: -1, column: 1.5, function: "f" },
      { file: "b.js", line: "7", column: Number.NaN },
      { file: "x".repeat(600), function: "y".repeat(300), line: 0 },
      null,
      "at foo (bar.js:1:1)",
      42,
      {},
    ]);
    expect(frames).toEqual([frame("a.js", "f", null, null, true), frame("b.js", null, null, null, true), frame("x".repeat(512), "y".repeat(256), 0, null, true)]);
  });

  test("caps at 64 frames and ignores non-arrays", () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ file: "a.js", line: i, function: `f${i}` }));
    const frames = normalizeClientFrames(many);
    expect(frames).toHaveLength(64);
    expect(frames[63]?.line).toBe(63);
    expect(normalizeClientFrames({ file: "a.js" })).toEqual([]);
  });
});
