import { describe, expect, test } from "bun:test";
import { parseStack } from "../../src/crash/stack-parse.ts";
import { frame, nativeFrame } from "./helpers.ts";
import * as samples from "./samples.ts";

const APP = "https://app.example.com/assets/index-BvK3x9Qa.js";
const FF = "https://app.example.com/static/js/main.3f9a2c1b.js";
const SAFARI = "https://app.example.com/assets/app-8d7f6e5a.js";

describe("parseStack: V8", () => {
  test("Chrome: async, eval, anonymous, built-ins, extension", () => {
    expect(parseStack(samples.CHROME_STACK)).toEqual([
      frame(APP, "renderProfile", 42, 18, true),
      frame(APP, null, 57, 9, true),
      nativeFrame("Array.map"),
      frame("https://app.example.com/assets/vendor-8d7f6e5a.js", "eval", 3, 1042, true),
      frame(APP, "new ProfileList", 60, 14, true),
      frame(APP, "Object.<anonymous>", 71, 3, true),
      nativeFrame("Promise.all"),
      frame(`${APP}?v=3`, "loadProfiles", 88, 5, true),
      frame("chrome-extension://abcdefghijklmnopabcdefghijklmnop/content.js", "HTMLButtonElement.<anonymous>", 12, 7, false),
    ]);
  });

  test("Node: node: internals, node_modules, aliases, async", () => {
    expect(parseStack(samples.NODE_ASYNC_STACK)).toEqual([
      frame("/srv/api/dist/users/service.js", "getUserId", 27, 19, true),
      frame("/srv/api/dist/users/service.js", null, 40, 22, true),
      nativeFrame("Array.map"),
      frame("/srv/api/node_modules/express/lib/router/layer.js", "Layer.handle [as handle_request]", 95, 5, false),
      frame("node:internal/process/task_queues", "process.processTicksAndRejections", 95, 5, false),
      frame("/srv/api/dist/routes/users.js", "listUsers", 12, 17, true),
      frame("file:///srv/api/dist/server.mjs", null, 7, 7, true),
    ]);
  });

  test("Node startup: multi-line header, legacy internal/ path and (native)", () => {
    expect(parseStack(samples.NODE_STARTUP_STACK)).toEqual([
      frame("/home/alice/projects/api/index.js", "Object.<anonymous>", 3, 16, true),
      frame("node:internal/modules/cjs/loader", "Module._compile", 1521, 14, false),
      frame("node:internal/modules/run_main", "Function.executeUserEntryPoint [as runMain]", 164, 12, false),
      nativeFrame("Array.forEach"),
      frame("internal/main/run_main_module.js", null, 17, 47, false),
    ]);
  });

  test("Bun: JSC built-ins printed V8-style", () => {
    expect(parseStack(samples.BUN_STACK)).toEqual([
      frame("/srv/worker/app.ts", null, 4, 55, true),
      nativeFrame("map"),
      nativeFrame("eval"),
      frame("/srv/worker/app.ts", "new Repo", 4, 33, true),
      frame("/srv/worker/app.ts", "handler", 6, 33, true),
    ]);
  });

  test("nested eval resolves to the outermost real file; Windows paths and CRLF", () => {
    const stack =
      "Error: x\r\n" +
      "    at eval (eval at a (eval at b (https://x.test/app.js:9:3), <anonymous>:1:1), <anonymous>:2:5)\r\n" +
      "    at Object.<anonymous> (C:\\Users\\alice\\app\\index.js:3:16)\r\n" +
      "    at native\r\n";
    expect(parseStack(stack)).toEqual([
      frame("https://x.test/app.js", "eval", 9, 3, true),
      frame("C:\\Users\\alice\\app\\index.js", "Object.<anonymous>", 3, 16, true),
      nativeFrame(null),
    ]);
  });
});

describe("parseStack: SpiderMonkey and JavaScriptCore", () => {
  test("Firefox: async*, eval origin, anonymous, extension", () => {
    expect(parseStack(samples.FIREFOX_STACK)).toEqual([
      frame(FF, "handleSubmit", 2, 10455, true),
      frame(FF, "validate/<", 2, 9980, true),
      frame(FF, null, 2, null, true),
      frame(FF, "submitForm", 2, 11020, true),
      frame(FF, null, 2, 12001, true),
      frame("moz-extension://2f1a6c9e-7b1d-4c55-9a0e-1e0f3c2d4b5a/inject.js", "loadConfig", 4, 3, false),
    ]);
  });

  test("Safari: [native code], bare anonymous location, eval code, global code", () => {
    expect(parseStack(samples.SAFARI_STACK)).toEqual([
      frame(SAFARI, "renderRow", 14, 2231, true),
      nativeFrame("map"),
      frame(SAFARI, null, 14, 2390, true),
      frame(null, "eval code", null, null, false),
      nativeFrame("eval"),
      frame(SAFARI, "global code", 20, 11, true),
    ]);
  });

  test("Safari: header skipped, masked extension URL, module code, lone [native code]", () => {
    expect(parseStack(samples.SAFARI_MODULE_STACK)).toEqual([
      frame("webkit-masked-url://hidden/", "loadUser", 1, 1, false),
      frame(APP, "module code", 3, 19, true),
      nativeFrame(null),
    ]);
  });

  test("a header containing an email is not mistaken for a frame", () => {
    const stack = "Error: no account for bob@example.com:25\nload@https://x.test/a.js:1:2";
    expect(parseStack(stack)).toEqual([frame("https://x.test/a.js", "load", 1, 2, true)]);
  });
});

describe("parseStack: limits", () => {
  test("lines over 1,024 characters are skipped", () => {
    const long = `    at ${"a".repeat(1100)} (https://x.test/app.js:1:1)`;
    const stack = ["Error: x", long, "    at ok (https://x.test/app.js:2:3)"].join("\n");
    expect(parseStack(stack)).toEqual([frame("https://x.test/app.js", "ok", 2, 3, true)]);
  });

  test("keeps the innermost 64 frames in engine order", () => {
    const lines = Array.from({ length: 100 }, (_, i) => `    at f${i} (https://x.test/app.js:${i + 1}:1)`);
    const frames = parseStack(`RangeError: Maximum call stack size exceeded\n${lines.join("\n")}`);
    expect(frames).toHaveLength(64);
    expect(frames[0]?.function).toBe("f0");
    expect(frames[63]?.function).toBe("f63");
  });

  test("empty or frame-less input gives no frames", () => {
    expect(parseStack("")).toEqual([]);
    expect(parseStack("TypeError: x is not a function")).toEqual([]);
  });
});
