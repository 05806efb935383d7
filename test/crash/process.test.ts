import { describe, expect, test } from "bun:test";
import { processCrashReport } from "../../src/crash/index.ts";
import { frame } from "./helpers.ts";
import { fixture } from "./fixtures.ts";
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

  test("native stacks: frames scrubbed like JavaScript ones (home directories masked)", () => {
    const result = processCrashReport({ errorType: "System.NullReferenceException", message: "x", stack: fixture("dotnet/windows-paths-blank-lines.txt") });
    expect(result.frames[0]?.file).toStartWith("C:\\Users\\<user>\\Downloads\\");
    expect(JSON.stringify(result)).not.toContain("FekraSupp");
    const go = processCrashReport({ errorType: "panic", message: "x", stack: fixture("go/nil-pointer-main.txt") });
    expect(go.frames.every((f) => f.file?.startsWith("/Users/<user>/go/src/"))).toBe(true);
  });

  test("the exception named in the stack fills a missing type and message", () => {
    const result = processCrashReport({ stack: fixture("python/dist-packages-stdlib.txt") });
    expect(result).toMatchObject({ errorType: "ValueError", message: "no last exception", rawStack: null, stackPlatform: "python" });
    const caller = processCrashReport({ errorType: "Crash", message: "custom", stack: fixture("python/dist-packages-stdlib.txt") });
    expect(caller).toMatchObject({ errorType: "Crash", message: "custom" });
  });

  test("a stack no parser understands is kept, scrubbed and capped, and grouping uses the message", () => {
    const secret = "Bearer sk_live_4eC39HqLyjWDarjtT1zdp7dc for ann@example.com";
    const stack = `${fixture("dotnet/single-line-async.txt")}\n${secret}\n${"x".repeat(40_000)}`;
    const result = processCrashReport({ errorType: "System.NullReferenceException", message: "Object reference not set", stack });
    expect(result.frames).toEqual([]);
    expect(result.rawStack).toStartWith("System.NullReferenceException: Object reference not set to an instance of an object. at Client.Common");
    expect(result.rawStack).not.toContain("ann@example.com");
    expect(result.rawStack).not.toContain("sk_live_");
    expect(result.rawStack?.length).toBe(16_384);
    const sameMessage = processCrashReport({ errorType: "System.NullReferenceException", message: "Object reference not set" });
    expect(result.fingerprint).toEqual(sameMessage.fingerprint);
  });

  test("no raw stack when frames were parsed or sent, or no stack at all", () => {
    expect(processCrashReport({ errorType: "E", message: "m", stack: FIREFOX_STACK }).rawStack).toBeNull();
    expect(processCrashReport({ errorType: "E", message: "m", stack: "opaque", stackTrace: [{ file: "/a.js", line: 1 }] }).rawStack).toBeNull();
    expect(processCrashReport({ errorType: "E", message: "m", stack: "   " }).rawStack).toBeNull();
  });

  test("extension code never reaches storage: not as frames, not as raw text", () => {
    const onlyExtension = "TypeError: x\n    at run (chrome-extension://abcdefghijklmnopabcdefghijklmnop/content.js:12:7)";
    expect(processCrashReport({ errorType: "TypeError", message: "x", stack: onlyExtension })).toMatchObject({ frames: [], rawStack: null });
    const opaque = "crashed in moz-extension://0b1c2d3e-aaaa-bbbb-cccc-1234567890ab/inject.js near blob:https://app.test/7f0e";
    const kept = processCrashReport({ errorType: "Error", message: "x", stack: opaque }).rawStack;
    expect(kept).toBe("crashed in <extension> near <extension>");
  });
});
