import { describe, expect, test } from "bun:test";
import { fingerprintCrash } from "../../src/crash/fingerprint.ts";
import { processCrashReport } from "../../src/crash/index.ts";
import { parseAnyStack } from "../../src/crash/parsers/detect.ts";
import { fixture, shiftNumbers } from "./fixtures.ts";
import { CHROME_STACK } from "./samples.ts";

/**
 * Per language, the two properties grouping must have (issue 14):
 * - the same bug from another release (other line numbers, offsets, addresses, build hashes,
 *   install paths) lands in the same group;
 * - another code path with the same exception and message lands in another group.
 */

function groupOf(stack: string, platform: string) {
  const processed = processCrashReport({ stack, platform });
  return `${processed.fingerprint.version}:${processed.fingerprint.hash}`;
}

function basisOf(stack: string, platform: string) {
  const processed = processCrashReport({ stack, platform });
  const parsed = parseAnyStack(stack, platform);
  return fingerprintCrash({ errorType: processed.errorType, message: processed.message, frames: processed.frames, platform: parsed.platform }).basis;
}

describe("Python: module/file + function", () => {
  const base = fixture("python/py313-carets-direct-cause.txt");
  test("another release: lines moved and installed elsewhere → same group", () => {
    const next = shiftNumbers(base, /line (\d+)/g, 12).replaceAll("/Users/jrp/Documents/AI/mlx/check_models/src/", "/srv/releases/2.0.1/check_models/src/");
    expect(next).not.toBe(base);
    expect(groupOf(next, "python")).toBe(groupOf(base, "python"));
    expect(basisOf(base, "python")).toEqual([
      "stack",
      "python",
      "ValueError",
      "src/check_models.py:_prepare_generation_prompt",
      "src/check_models.py:_run_model_generation",
      "src/check_models.py:process_image_with_model",
    ]);
  });

  test("another code path, same exception and message → another group", () => {
    const other = base.replace("in process_image_with_model", "in process_batch_with_model");
    expect(groupOf(other, "python")).not.toBe(groupOf(base, "python"));
  });

  test("a release directory in the path is not part of the key", () => {
    const at = (dir: string) => `Traceback (most recent call last):\n  File "/srv/${dir}/views.py", line 3, in show\nKeyError: 'id'`;
    expect(groupOf(at("app-1.4.2"), "python")).toBe(groupOf(at("app-1.4.3"), "python"));
  });
});

describe("Java/Kotlin/Android: class + method", () => {
  const base = fixture("java/caused-by-n-more.txt");
  test("another release: lines moved → same group", () => {
    const next = shiftNumbers(base, /\.java:(\d+)\)/g, 3);
    expect(next).not.toBe(base);
    expect(groupOf(next, "android")).toBe(groupOf(base, "android"));
    expect(basisOf(base, "android")).toEqual(["stack", "java", "java.lang.NullPointerException", "uk.co.armedpineapple.cth.PrefsActivity.onCreate"]);
  });

  test("another code path, same exception → another group", () => {
    const other = base.replace("PrefsActivity.onCreate(", "PrefsActivity.onResume(");
    expect(groupOf(other, "android")).not.toBe(groupOf(base, "android"));
  });

  test("lambda class names carry per-build counters; they are not part of the key", () => {
    const trace = (lambda: string) => `java.lang.IllegalStateException: closed\n\tat com.acme.Feed${lambda}.accept(Unknown Source)\n\tat com.acme.Feed.load(Feed.java:40)`;
    expect(groupOf(trace("$$Lambda$12/0x0000000800c4a48"), "java")).toBe(groupOf(trace("$$Lambda$31/0x0000000800d1b10"), "java"));
  });
});

describe("Apple: image + symbol without offset", () => {
  const base = fixture("apple/macos-rust-symbolicated-binary-images.txt");
  const rebuild = (text: string) =>
    shiftNumbers(shiftNumbers(text, / \+ (\d+)/g, 8), /\.rs:(\d+)\)/g, 7)
      .replace(/0x0000000(10d1\w+)/g, (_, a: string) => `0x0000000${a.replace("10d1", "1a2b")}`)
      .replace(/::h([0-9a-f]{16})/g, (_, h: string) => `::h${[...h].reverse().join("")}`);

  test("another build: offsets, addresses, Rust hashes and source lines changed → same group", () => {
    expect(rebuild(base)).not.toBe(base);
    expect(groupOf(rebuild(base), "macos")).toBe(groupOf(base, "macos"));
    expect(basisOf(base, "macos").slice(0, 5)).toEqual([
      "stack",
      "apple",
      "EXC_BAD_INSTRUCTION",
      "libstd-78c92a267c026dc1.dylib:std::panicking::rust_panic_with_hook",
      "a:std::panicking::begin_panic",
    ]);
  });

  test("another code path, same exception → another group", () => {
    const other = base.replace("backtrace::double::h0c99cc05786c6af0", "backtrace::triple::h0c99cc05786c6af0");
    expect(groupOf(other, "macos")).not.toBe(groupOf(base, "macos"));
  });

  test("numbered blocks are one symbol", () => {
    const trace = (n: number) => `0   MyApp   0x0000000100e4c2a8 __37-[Feed reload]_block_invoke.${n} + 28\n1   UIKitCore   0x00000001a4c2e6a8 -[UIView layoutSubviews] + 80`;
    expect(groupOf(trace(31), "ios")).toBe(groupOf(trace(44), "ios"));
  });
});

describe(".NET: type + method", () => {
  const base = fixture("dotnet/efcore-inner-exception.txt");
  test("another release: lines moved → same group", () => {
    const next = shiftNumbers(base, /:line (\d+)/g, 5);
    expect(next).not.toBe(base);
    expect(groupOf(next, "dotnet")).toBe(groupOf(base, "dotnet"));
    expect(basisOf(base, "dotnet")).toContain("DinDin.Repositories.EmployeeRepository.Update2");
  });

  test("another code path, same exception and message → another group", () => {
    const other = base.replace("EmployeeRepository.Update2(", "EmployeeRepository.Insert(");
    expect(groupOf(other, "dotnet")).not.toBe(groupOf(base, "dotnet"));
  });

  test("compiler-generated lambda and async names are normalised", () => {
    const trace = (lambda: string, machine: string) =>
      `System.NullReferenceException: x\n   at Shop.Cart.<>c.<Total>b__${lambda}() in /src/Cart.cs:line 9\n   at Shop.Cart.<LoadAsync>d__${machine}.MoveNext() in /src/Cart.cs:line 30`;
    expect(groupOf(trace("12_0", "5"), "dotnet")).toBe(groupOf(trace("14_1", "7"), "dotnet"));
  });
});

describe("Go: package.function", () => {
  const base = fixture("go/nil-pointer-main.txt");
  test("another release: lines, pc offsets and argument values changed → same group", () => {
    const next = shiftNumbers(base, /\.go:(\d+)/g, 2)
      .replaceAll("+0x19c", "+0x1a4")
      .replaceAll("0xc000228000", "0xc0001b0000");
    expect(next).not.toBe(base);
    expect(groupOf(next, "go")).toBe(groupOf(base, "go"));
    expect(basisOf(base, "go")).toEqual(["stack", "go", "panic", "main.ReadRoutines", "main.poll", "main.Refresh", "main.main"]);
  });

  test("another code path, same panic message → another group", () => {
    expect(groupOf(base.replace("main.poll(", "main.pollOnce("), "go")).not.toBe(groupOf(base, "go"));
  });
});

describe("versions", () => {
  test("JavaScript reports keep their g1 keys", () => {
    expect(processCrashReport({ errorType: "TypeError", message: "x", stack: CHROME_STACK }).fingerprint.version).toBe("g1");
    expect(processCrashReport({ errorType: "TypeError", message: "x", stack: CHROME_STACK, platform: "android" }).fingerprint.version).toBe("g1");
  });

  test("native frames without anything in-app group by the message, under g2", () => {
    expect(basisOf(fixture("python/dist-packages-stdlib.txt"), "python")).toEqual(["message", "python", "ValueError", "no last exception"]);
  });
});
