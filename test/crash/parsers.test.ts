import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { MAX_FRAMES } from "../../src/crash/frame.ts";
import { parseAnyStack, platformFromHint } from "../../src/crash/parsers/detect.ts";
import { fixture } from "./fixtures.ts";
import { CHROME_STACK, NODE_ASYNC_STACK } from "./samples.ts";

/** Frames as "function @ file:line" with an in-app mark, for readable expectations. */
function summary(text: string, hint?: string) {
  const parsed = parseAnyStack(text, hint);
  return {
    platform: parsed.platform,
    exception: parsed.exception,
    frames: parsed.frames.map((f) => `${f.inApp ? "+" : "-"} ${f.function ?? "?"} @ ${f.file ?? "?"}:${f.line ?? "?"}`),
  };
}

describe("CPython tracebacks", () => {
  test("innermost first; the raised (last) traceback of a 'direct cause' chain; 3.13 carets skipped", () => {
    const s = summary(fixture("python/py313-carets-direct-cause.txt"));
    expect(s.platform).toBe("python");
    expect(s.frames).toEqual([
      "+ _prepare_generation_prompt @ /Users/jrp/Documents/AI/mlx/check_models/src/check_models.py:14221",
      "+ _run_model_generation @ /Users/jrp/Documents/AI/mlx/check_models/src/check_models.py:14426",
      "+ process_image_with_model @ /Users/jrp/Documents/AI/mlx/check_models/src/check_models.py:14590",
    ]);
    expect(s.exception?.type).toBe("ValueError");
    expect(s.exception?.message).toStartWith("Model preflight failed for mlx-community/MolmoPoint-8B-fp16");
  });

  test("library and <string> frames are not in-app; a dotted exception type and multi-line message", () => {
    const s = summary(fixture("python/celery-sqlalchemy-string-frames.txt"));
    expect(s.frames.length).toBe(26);
    expect(s.frames.filter((f) => f.startsWith("+"))).toEqual(["+ process_file_task @ /app/workers/file_processor.py:101"]);
    expect(s.frames).toContain("- commit @ <string>:2");
    expect(s.frames.at(-1)).toBe("- trace_task @ /usr/local/lib/python3.11/dist-packages/celery/app/trace.py:453");
    expect(s.exception?.type).toBe("sqlalchemy.exc.OperationalError");
    expect(s.exception?.message).toStartWith("(psycopg2.OperationalError) SSL SYSCALL error: EOF detected");
  });

  test("'During handling' chain cut off before its exception line still yields the last traceback's frames", () => {
    const s = summary(fixture("python/chained-during-handling.txt"));
    expect(s.frames[0]).toStartWith("- DEFINE_boolean @ C:\\Users\\lenovo\\AppData\\Local\\Programs\\Python\\Python35\\lib\\site-packages");
    expect(s.frames.at(-1)).toBe("+ <module> @ E:\\python\\tersonflow\\Chinese_rec.py:38");
    expect(s.exception).toBeNull();
  });

  test("dist-packages and the standard library are not in-app", () => {
    const s = summary(fixture("python/dist-packages-stdlib.txt"));
    expect(s.frames).toEqual([
      "- print_last @ /usr/lib/python3.10/traceback.py:189",
      "- journal_load_failed @ /usr/lib/python3/dist-packages/ledgerhelpers/programs/addtrans.py:149",
    ]);
    expect(s.exception).toEqual({ type: "ValueError", message: "no last exception" });
  });

  test('a frame line without File "…" and an empty first traceback', () => {
    const s = summary(fixture("python/frame-without-file.txt"));
    expect(s.frames[0]).toBe("- <module> @ ?:7");
    expect(s.exception).toEqual({ type: "NameError", message: "name 'fah' is not defined" });
  });

  test("exception groups: the first sub-exception's frames, then the group's; it names the exception", () => {
    const s = summary(fixture("python/exception-group.txt"));
    expect(s.platform).toBe("python");
    expect(s.frames).toEqual([
      "+ test_different_inputs_should_produce_different_keys @ /home/npc/pbt/agentic-pbt/worker_/23/hypo.py:20",
      "- _raise_to_user @ /home/npc/miniconda/lib/python3.13/site-packages/hypothesis/core.py:1613",
      "- wrapped_test @ /home/npc/miniconda/lib/python3.13/site-packages/hypothesis/core.py:2062",
      "+ test_different_inputs_should_produce_different_keys @ /home/npc/pbt/agentic-pbt/worker_/23/hypo.py:8",
    ]);
    expect(s.exception?.type).toBe("AssertionError");
    expect(s.exception?.message).toStartWith("Cache key collision: ['a:', 'b'] and ['a', ':b'] produce same key");
  });

  test("deep recursion keeps the innermost 64 frames", () => {
    const frames = Array.from({ length: 200 }, (_, i) => `  File "/srv/app/walk.py", line ${i + 1}, in f${i}\n    f${i + 1}()`);
    const s = summary(`Traceback (most recent call last):\n${frames.join("\n")}\nRecursionError: maximum recursion depth exceeded`);
    expect(s.frames.length).toBe(MAX_FRAMES);
    expect(s.frames[0]).toBe("+ f199 @ /srv/app/walk.py:200");
  });
});

describe("JVM / Android traces", () => {
  test("the root cause's frames, completed with its '... N more' from the enclosing trace", () => {
    const s = summary(fixture("java/caused-by-n-more.txt"));
    expect(s.platform).toBe("java");
    expect(s.exception).toEqual({ type: "java.lang.NullPointerException", message: "" });
    expect(s.frames.slice(0, 2)).toEqual([
      "+ uk.co.armedpineapple.cth.PrefsActivity.onCreate @ PrefsActivity.java:69",
      "- android.app.Activity.performCreate @ Activity.java:5104",
    ]);
    // 4 own frames + the enclosing trace's last 11.
    expect(s.frames.length).toBe(15);
    expect(s.frames.at(-1)).toBe("- dalvik.system.NativeStart.main @ ?:?");
    expect(s.frames.filter((f) => f.startsWith("+"))).toHaveLength(1);
  });

  test("JDK 9+ module prefixes are dropped; java.*/jdk.* frames are not in-app; (Native Method) is native", () => {
    const s = summary(fixture("java/jdk17-module-prefix-n-more.txt"));
    expect(s.exception?.type).toBe("java.util.concurrent.TimeoutException");
    expect(s.frames.slice(0, 3)).toEqual([
      "- java.util.concurrent.CompletableFuture.timedGet @ CompletableFuture.java:1960",
      "- java.util.concurrent.CompletableFuture.get @ CompletableFuture.java:2095",
      "+ org.apache.pulsar.client.admin.internal.BaseResource.sync @ BaseResource.java:292",
    ]);
    const versioned = parseAnyStack(fixture("java/module-version-prefix.txt"));
    expect(versioned.frames[0]).toMatchObject({ function: "jdk.internal.misc.Unsafe.park", native: true, inApp: false });
    expect(versioned.frames.every((f) => !f.inApp)).toBe(true);
  });

  test("logcat prefixes, Android Studio style and adb style", () => {
    const studio = summary(fixture("java/android-studio-logcat-caused-by.txt"));
    expect(studio.frames).toEqual(["+ hainguyen.impala.feature.userdetails.view.UserDetailsActivity.populateUserDetails @ UserDetailsActivity.java:77"]);
    const adb = summary(fixture("java/adb-logcat-brief.txt"));
    expect(adb.platform).toBe("java");
    expect(adb.frames).toHaveLength(9);
    expect(adb.exception?.type).toBe("java.lang.RuntimeException");
    expect(adb.exception?.message).toStartWith("Unable to start activity ComponentInfo{com.myapp/com.myapp.MainActivity}");
  });

  test("Crashlytics' 'Caused by' without a colon; a trace without a message", () => {
    expect(summary(fixture("java/crashlytics-caused-by-no-colon.txt")).frames).toEqual([
      "+ com.habitrpg.android.habitica.ui.fragments.BaseFragment.onCreateView @ BaseFragment.java:48",
    ]);
    const plain = summary(fixture("java/tab-indented-no-message.txt"));
    expect(plain.exception).toEqual({ type: "java.lang.IllegalThreadStateException", message: "" });
    expect(plain.frames[0]).toBe("- java.lang.Thread.start @ Thread.java:708");
    expect(plain.frames[3]).toBe("+ com.neuronrobotics.bowlerstudio.creature.MobileBaseCadManager.<init> @ MobileBaseCadManager.java:568");
  });

  test("Suppressed: blocks are skipped; Unknown Source frames keep their in-app mark", () => {
    const text = [
      "java.io.IOException: close failed",
      "\tat com.acme.Store.save(Unknown Source)",
      "\tat com.acme.Main.main(Main.kt:9)",
      "\tSuppressed: java.lang.IllegalStateException: flush",
      "\t\tat com.acme.Buffer.flush(Buffer.kt:40)",
      "\t\t... 1 more",
    ].join("\n");
    expect(summary(text).frames).toEqual(["+ com.acme.Store.save @ ?:?", "+ com.acme.Main.main @ Main.kt:9"]);
  });
});

describe("Apple backtraces", () => {
  test("crash report: crashed thread, exception type, Binary Images decide in-app ('+' = not Apple's)", () => {
    const s = summary(fixture("apple/ios-unsymbolicated-binary-images.txt"));
    expect(s.platform).toBe("apple");
    expect(s.exception).toEqual({ type: "EXC_BAD_ACCESS", message: "SIGSEGV: KERN_INVALID_ADDRESS at 0xd281ea61" });
    expect(s.frames).toHaveLength(11); // thread 0 only
    expect(s.frames[0]).toBe("- ? @ libobjc.A.dylib:?");
    expect(s.frames[1]).toBe("+ ? @ Media:?"); // unsymbolicated: no function, never an offset
  });

  test("symbolicated frames: symbol without offset, source line; Binary Images overrule the name rule", () => {
    const s = summary(fixture("apple/macos-rust-symbolicated-binary-images.txt"));
    expect(s.frames[0]).toBe("+ std::panicking::rust_panic_with_hook::h46175c45dd07c8cb @ libstd-78c92a267c026dc1.dylib:?");
    expect(s.frames[5]).toBe("+ backtrace::main::hcde7a1a1c3c85e77 @ a:103");
    expect(s.frames.at(-1)).toBe("- start @ libdyld.dylib:?");
    expect(s.exception?.type).toBe("EXC_BAD_INSTRUCTION");
  });

  test("the exception backtrace wins over the crashed thread; system images by name", () => {
    const s = summary(fixture("apple/application-specific-backtrace-unsymbolicated.txt"));
    expect(s.frames[0]).toBe("- __exceptionPreprocess @ CoreFoundation:?");
    expect(s.frames[5]).toBe("+ ? @ CocoaPodUI:?");
    const cr4shed = summary(fixture("apple/cr4shed-last-exception-backtrace.txt"));
    expect(cr4shed.frames.slice(0, 3)).toEqual(["- __exceptionPreprocess @ CoreFoundation:?", "- objc_exception_throw @ libobjc.A.dylib:?", "+ ? @ Cr4shed.dylib:?"]);
  });

  test("macOS bundle-id image names and a crashed thread that is not thread 0", () => {
    const system = parseAnyStack(fixture("apple/macos-system-only-crashed-thread.txt"));
    expect(system.frames).toHaveLength(14);
    expect(system.frames.every((f) => !f.inApp)).toBe(true);
    const app = summary(fixture("apple/macos-app-frames-thread-11.txt"));
    expect(app.frames.filter((f) => f.startsWith("+"))).toEqual(["+ -[CoreLocationSource start] @ com.dustinrue.ControlPlane:?"]);
  });

  test("callStackSymbols; lldb bt; 'uncaught exception' names type and reason", () => {
    expect(summary(fixture("apple/call-stack-symbols-system-only.txt")).frames[4]).toBe("- -[UIApplication _runWithMainScene:transitionContext:completion:] @ UIKitCore:?");
    const lldb = summary(
      [
        "* thread #1, queue = 'com.apple.main-thread', stop reason = Fatal error: Index out of range",
        "  * frame #0: 0x00000001a4c2e6a8 libswiftCore.dylib`Swift._assertionFailure(_:_:file:line:flags:) -> Swift.Never + 160",
        "    frame #1: 0x0000000100f2a1b8 Notes`NotesList.item(at:) at NotesList.swift:42:18",
      ].join("\n"),
    );
    expect(lldb.frames).toEqual(["- Swift._assertionFailure(_:_:file:line:flags:) -> Swift.Never @ libswiftCore.dylib:?", "+ NotesList.item(at:) @ Notes:42"]);
    expect(lldb.exception).toEqual({ type: "Fatal error", message: "Index out of range" });
    expect(parseAnyStack(fixture("apple/first-throw-addresses-only.txt")).exception).toEqual({
      type: "NSInvalidArgumentException",
      message: "-[__NSCFArray row]: unrecognized selector sent to instance 0x814bd90",
    });
  });
});

describe(".NET stack traces", () => {
  test("inner exception first (root cause named), markers and 'Exception data' skipped, :line N", () => {
    const s = summary(fixture("dotnet/efcore-inner-exception.txt"));
    expect(s.platform).toBe("dotnet");
    expect(s.exception?.type).toBe("Npgsql.PostgresException");
    expect(s.exception?.message).toStartWith("23503: INSERT или UPDATE");
    expect(s.frames).toHaveLength(23);
    expect(s.frames[1]).toStartWith("- System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder`1");
    expect(s.frames.at(-2)).toBe("+ DinDin.Program.Main() @ C:\\BPM\\Leshan\\1\\DinDin\\Program.cs:24");
    expect(s.frames.at(-1)).toBe("+ DinDin.Program.<Main>() @ ?:?");
  });

  test("blank lines between frames; lambdas; frames without files", () => {
    const s = summary(fixture("dotnet/windows-paths-blank-lines.txt"));
    expect(s.exception).toEqual({ type: "System.NullReferenceException", message: "Object reference not set to an instance of an object." });
    expect(s.frames[0]).toStartWith("+ SharpBoot.ISOInfo.<>c.<RefreshISOs>b__37_0() @ C:\\Users\\FekraSupp\\");
    expect(s.frames.slice(1).every((f) => f.startsWith("- System.Threading."))).toBe(true);
    const ps = summary(fixture("dotnet/powershell-inner-exception-no-files.txt"));
    expect(ps.exception?.type).toBe("System.Management.Automation.PSInvalidCastException");
    expect(ps.frames).toHaveLength(7);
  });

  test("Mono/Xamarin frames ([0x…] in file:line, wrapper frames)", () => {
    expect(summary(fixture("dotnet/xamarin-mono-frames.txt"), "ios").frames).toEqual([
      "- UIKit.UIApplication.UIApplicationMain(int,string[],intptr,intptr) @ ?:?",
      "- UIKit.UIApplication.Main(System.String[] args, System.IntPtr principal, System.IntPtr delegate) @ /Library/Frameworks/Xamarin.iOS.framework/Versions/14.2.0.12/src/Xamarin.iOS/UIKit/UIApplication.cs:86",
      "- UIKit.UIApplication.Main(System.String[] args, System.String principalClassName, System.String delegateClassName) @ /Library/Frameworks/Xamarin.iOS.framework/Versions/14.2.0.12/src/Xamarin.iOS/UIKit/UIApplication.cs:65",
      "+ Evervast.PicPoll.iOS.Application.Main(System.String[] args) @ /Users/robertdoucette/Desktop/SourceCodes/PicPoll/Evervast.PicPoll/Evervast.PicPoll.iOS/Main.cs:12",
    ]);
  });

  test("a trace flattened onto one line has no frames, but still names its exception", () => {
    const parsed = parseAnyStack(fixture("dotnet/single-line-async.txt"));
    expect(parsed.frames).toEqual([]);
    expect(parsed.exception?.type).toBe("System.NullReferenceException");
  });
});

describe("Go panics", () => {
  test("panicking goroutine only, argument lists dropped, panic message", () => {
    const s = summary(fixture("go/nil-pointer-main.txt"));
    expect(s.platform).toBe("go");
    expect(s.exception).toEqual({ type: "panic", message: "runtime error: invalid memory address or nil pointer dereference" });
    expect(s.frames).toEqual([
      "+ main.ReadRoutines @ /Users/me/go/src/github.com/bcicen/grmon/parse.go:76",
      "+ main.poll @ /Users/me/go/src/github.com/bcicen/grmon/client.go:38",
      "+ main.Refresh @ /Users/me/go/src/github.com/bcicen/grmon/main.go:38",
      "+ main.main @ /Users/me/go/src/github.com/bcicen/grmon/main.go:202",
    ]);
    expect(summary(fixture("go/several-goroutines.txt")).frames).toEqual(["+ main.main @ /home/simon/course/intro-to-go/12.go:25"]);
  });

  test("standard library not in-app; receivers, closures and 'created by' kept", () => {
    expect(summary(fixture("go/stdlib-frame-created-by.txt")).frames).toEqual([
      "- os/exec.(*Cmd).Wait @ /usr/local/go/src/os/exec/exec.go:453",
      "+ github.com/maxcnunes/gaper.(*runner).runBin.func1 @ /go/src/github.com/maxcnunes/gaper/runner.go:159",
      "+ github.com/maxcnunes/gaper.(*runner).runBin @ /go/src/github.com/maxcnunes/gaper/runner.go:158",
    ]);
    expect(summary(fixture("go/module-without-dot.txt")).frames[0]).toBe("+ RequestTemplate/WebScan/FingerScan.UrlWorker @ RequestTemplate/WebScan/FingerScan/WebFinger.go:61");
    expect(summary(fixture("go/arguments-on-own-line.txt")).frames).toHaveLength(2);
  });

  test("runtime frames and module-cache dependencies are not in-app", () => {
    const text = [
      "panic: boom",
      "",
      "goroutine 7 [running]:",
      "runtime.gopanic({0x6b2a40?, 0xc0000a0f40?})",
      "\t/usr/local/go/src/runtime/panic.go:770 +0x132",
      "github.com/gin-gonic/gin.(*Context).Next(...)",
      "\t/root/go/pkg/mod/github.com/gin-gonic/gin@v1.9.1/context.go:174",
      "example.com/shop/api.(*Server).checkout(0xc000122000, 0xc0001a2000)",
      "\t/src/api/checkout.go:88 +0x1d",
    ].join("\n");
    expect(summary(text).frames.map((f) => f.slice(0, 1))).toEqual(["-", "-", "+"]);
  });
});

describe("detection", () => {
  test("JavaScript stacks still go to the JavaScript parser, even with a native platform hint", () => {
    for (const hint of [undefined, "android", "ios", "python"]) {
      expect(parseAnyStack(CHROME_STACK, hint).platform).toBe("javascript");
      expect(parseAnyStack(NODE_ASYNC_STACK, hint).platform).toBe("javascript");
    }
    expect(parseAnyStack(NODE_ASYNC_STACK).exception).toEqual({ type: "TypeError", message: "Cannot read properties of null (reading 'id')" });
  });

  test("platform hints from our clients and Sentry's names", () => {
    expect(platformFromHint("Android")).toBe("java");
    expect(platformFromHint("cocoa")).toBe("apple");
    expect(platformFromHint("csharp")).toBe("dotnet");
    expect(platformFromHint("golang")).toBe("go");
    expect(platformFromHint("web")).toBe("javascript");
    expect(platformFromHint("amiga")).toBeNull();
  });

  test("text nobody understands yields no frames", () => {
    expect(parseAnyStack("something went wrong\nno stack here").frames).toEqual([]);
    expect(parseAnyStack(fixture("apple/first-throw-addresses-only.txt"), "ios").frames).toEqual([]);
  });

  test("hostile input: no pattern backtracks (256 KB of each hostile shape parses within the test timeout)", () => {
    const hostile = {
      longLine: `Traceback (most recent call last):\n  File "${"a".repeat(300_000)}", line 1, in f\n`,
      manyFrames: "\tat a.B.c(B.java:1)\n".repeat(12_000),
      goroutine: `goroutine 1 [running]:\n${"main.f(...)\n\t/x.go:1\n".repeat(12_000)}`,
      newlines: "\n".repeat(250_000),
      spacesAfterNumber: `1 a${" ".repeat(1000)}\n`.repeat(250),
      monoSpaces: `  at a (${" ".repeat(900)}) [0x1] in\n`.repeat(270),
      dotnetIns: `   at a(${" in ".repeat(250)})\n`.repeat(250),
      lldbAts: `frame #0: 0x1 a\`${" at ".repeat(240)}\n`.repeat(250),
      arrows: `${"--->".repeat(250)}\n`.repeat(250),
      longJavaMessage: `java.lang.X: m\n${"message continues here\n".repeat(12_000)}\tat a.B.c(B.java:1)\n`,
      longPythonMessage: `Traceback (most recent call last):\n  File "a.py", line 1, in f\nValueError: x\n${"more text\n".repeat(25_000)}`,
    };
    // No timing here (timings stay out of tests): linear work finishes in well under a second,
    // while a pattern that backtracks quadratically over 256 KB runs for minutes and hits the
    // test's timeout. Each shape must also still give well-formed, capped output.
    for (const text of Object.values(hostile)) {
      for (const hint of [undefined, "java"]) {
        const parsed = parseAnyStack(text, hint);
        expect(parsed.frames.length).toBeLessThanOrEqual(MAX_FRAMES);
      }
    }
  }, 60_000);
});

describe("robustness", () => {
  /** Seeded (reproducible) mutations of every real fixture: cut, shuffled and corrupted lines. */
  test("mutated real stacks never throw and always give well-formed, capped frames", () => {
    let seed = 14;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const dir = join(import.meta.dir, "fixtures");
    const samples = readdirSync(dir)
      .filter((d) => !d.endsWith(".md"))
      .flatMap((d) => readdirSync(join(dir, d)).map((f) => fixture(`${d}/${f}`)));
    const junk = ["", "(", ")", "\t", " at ", "0x", ":", '"', "|", "+", "--->", "Caused by: ", "goroutine 1 [running]:", "\u0000", "é"];
    for (let round = 0; round < 400; round++) {
      const lines = (samples[round % samples.length] ?? "").split("\n");
      const mutated = lines
        .filter(() => random() > 0.15)
        .map((line) => {
          const r = random();
          if (r < 0.1) return line.slice(0, Math.floor(random() * line.length));
          if (r < 0.2) return line + (junk[Math.floor(random() * junk.length)] ?? "");
          if (r < 0.25) return lines[Math.floor(random() * lines.length)] ?? "";
          return line;
        })
        .join(random() < 0.2 ? "\r\n" : "\n");
      for (const hint of [undefined, "python", "android", "ios", "dotnet", "go", "web"]) {
        const parsed = parseAnyStack(mutated, hint);
        expect(parsed.frames.length).toBeLessThanOrEqual(MAX_FRAMES);
        for (const f of parsed.frames) {
          expect(typeof f.inApp).toBe("boolean");
          expect(f.file === null || (typeof f.file === "string" && f.file.length <= 512 && f.file !== "")).toBe(true);
          expect(f.function === null || (typeof f.function === "string" && f.function.length <= 256)).toBe(true);
          expect(f.line === null || Number.isSafeInteger(f.line)).toBe(true);
        }
      }
    }
  });
});
