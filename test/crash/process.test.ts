import { describe, expect, test } from "bun:test";
import { processCrashReport } from "../../src/crash/index.ts";
import { frame } from "./helpers.ts";
import { FIREFOX_STACK } from "./samples.ts";

describe("processCrashReport", () => {
  test("parses and scrubs a stack string", () => {
    const result = processCrashReport({
      errorType: "TypeError",
      message: "Failed for dana@example.com at https://app.test/p?session=abc",
      stack: FIREFOX_STACK,
    });
    expect(result.errorType).toBe("TypeError");
    expect(result.message).toBe("Failed for <email> at https://app.test/p");
    // The moz-extension frame is dropped before storage.
    expect(result.frames).toHaveLength(5);
    expect(result.frames.some((f) => f.file?.startsWith("moz-extension:"))).toBe(false);
    expect(result.fingerprint.version).toBe("g1");
    expect(result.fingerprint.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(result.fingerprint).sort()).toEqual(["hash", "version"]);
  });

  test("prefers the structured stackTrace over the stack string", () => {
    const result = processCrashReport({
      errorType: "Error",
      message: "boom",
      stack: FIREFOX_STACK,
      stackTrace: [{ file: "tauri://localhost/assets/main.3f9a2c1b.js?x=1", line: 3, column: 1, function: "save" }],
    });
    expect(result.frames).toEqual([frame("tauri://localhost/assets/main.3f9a2c1b.js", "save", 3, 1, true)]);
  });

  test("an empty stackTrace falls back to the stack string; the client fingerprint wins", () => {
    const a = processCrashReport({ errorType: "Error", message: "a", stack: FIREFOX_STACK, stackTrace: [], fingerprint: ["g"] });
    const b = processCrashReport({ errorType: "RangeError", message: "b", fingerprint: ["g"] });
    expect(a.frames).toHaveLength(5);
    expect(a.fingerprint.hash).toBe(b.fingerprint.hash);
  });

  test("survives junk from the wire", () => {
    const junk = { errorType: 42, message: null, stack: {}, stackTrace: "nope" } as unknown as Parameters<typeof processCrashReport>[0];
    const result = processCrashReport(junk);
    expect(result).toMatchObject({ errorType: "Error", message: "", frames: [] });
  });
});
