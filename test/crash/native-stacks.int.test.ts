import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "../support/app.ts";
import { fixture, shiftNumbers } from "./fixtures.ts";

/**
 * Native stacks sent to POST /api/crash, through the whole pipeline (HTTP → event log →
 * projection): frames are stored, and the grouping holds across releases and splits on code paths.
 */

let t: TestApp;
let expectedRows = 0;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

interface Case {
  platform: string;
  errorType: string;
  message: string;
  /** The bug as release 1.0.0 reports it. */
  stack: string;
  /** The same bug from release 1.1.0 (lines, offsets, hashes moved). */
  nextRelease: string;
  /** Another code path with the same exception and message. */
  otherPath: string;
  /** The innermost in-app function we expect to see stored. */
  inAppFunction: string;
}

const python = fixture("python/py313-carets-direct-cause.txt");
const java = fixture("java/caused-by-n-more.txt");
const apple = fixture("apple/macos-rust-symbolicated-binary-images.txt");
const dotnet = fixture("dotnet/efcore-inner-exception.txt");
const go = fixture("go/nil-pointer-main.txt");

const CASES: Record<string, Case> = {
  python: {
    platform: "python",
    errorType: "ValueError",
    message: "Model preflight failed",
    stack: python,
    nextRelease: shiftNumbers(python, /line (\d+)/g, 12),
    otherPath: python.replace("in process_image_with_model", "in process_batch_with_model"),
    inAppFunction: "_prepare_generation_prompt",
  },
  java: {
    platform: "android",
    errorType: "java.lang.RuntimeException",
    message: "Unable to start activity",
    stack: java,
    nextRelease: shiftNumbers(java, /\.java:(\d+)\)/g, 3),
    otherPath: java.replace("PrefsActivity.onCreate(", "PrefsActivity.onResume("),
    inAppFunction: "uk.co.armedpineapple.cth.PrefsActivity.onCreate",
  },
  apple: {
    platform: "ios",
    errorType: "EXC_BAD_INSTRUCTION",
    message: "SIGILL",
    stack: apple,
    nextRelease: shiftNumbers(apple, / \+ (\d+)/g, 8).replace(/::h([0-9a-f]{16})/g, (_, h: string) => `::h${[...h].reverse().join("")}`),
    otherPath: apple.replace("backtrace::double::h0c99cc05786c6af0", "backtrace::triple::h0c99cc05786c6af0"),
    inAppFunction: "std::panicking::rust_panic_with_hook::h46175c45dd07c8cb",
  },
  dotnet: {
    platform: "dotnet",
    errorType: "Microsoft.EntityFrameworkCore.DbUpdateException",
    message: "An error occurred while saving the entity changes.",
    stack: dotnet,
    nextRelease: shiftNumbers(dotnet, /:line (\d+)/g, 5),
    otherPath: dotnet.replace("EmployeeRepository.Update2(", "EmployeeRepository.Insert("),
    inAppFunction:
      "Npgsql.Internal.NpgsqlConnector.ReadMessageLong(Boolean async, DataRowLoadingMode dataRowLoadingMode, Boolean readingNotifications, Boolean isReadingPrependedMessage)",
  },
  go: {
    platform: "go",
    errorType: "panic",
    message: "runtime error: invalid memory address or nil pointer dereference",
    stack: go,
    nextRelease: shiftNumbers(go, /\.go:(\d+)/g, 2).replaceAll("+0x19c", "+0x1a4"),
    otherPath: go.replace("main.poll(", "main.pollOnce("),
    inAppFunction: "main.ReadRoutines",
  },
};

describe("POST /api/crash with native stacks", () => {
  for (const [language, c] of Object.entries(CASES)) {
    test(`${language}: frames stored; same bug across releases = one group; other path = other group`, async () => {
      const site = `${language}.example`;
      const send = (stack: string, release: string, ip: string) =>
        t.post("/api/crash", { site, errorType: c.errorType, message: c.message, stack, platform: c.platform, release }, { ip });
      expect((await send(c.stack, "1.0.0", "10.2.0.1")).status).toBe(202);
      expect((await send(c.nextRelease, "1.1.0", "10.2.0.2")).status).toBe(202);
      expect((await send(c.otherPath, "1.1.0", "10.2.0.1")).status).toBe(202);
      expectedRows += 3;
      expect(await t.waitForRows("crashes", expectedRows)).toBe(expectedRows);

      const crashes = await t.sql`
        select frames, raw_stack, platform, fingerprint_version from crashes where site = ${site} order by release`;
      expect(crashes).toHaveLength(3);
      for (const row of crashes) {
        const frames = row.frames as { function: string | null; inApp: boolean }[];
        expect(frames.length).toBeGreaterThan(0);
        expect(row.raw_stack).toBeNull();
        expect(row.platform).toBe(c.platform);
        expect(row.fingerprint_version).toBe("g2");
      }
      const firstRelease = crashes[0]!.frames as { function: string | null; inApp: boolean }[];
      expect(firstRelease.find((f) => f.inApp)?.function).toBe(c.inAppFunction);

      const groups = await t.sql`
        select g.occurrences, g.releases from crash_groups g
        where exists (select 1 from crashes c where c.group_id = g.id and c.site = ${site})
        order by g.occurrences desc`;
      expect(groups.map((g) => g.occurrences)).toEqual([2, 1]);
      expect(groups[0]!.releases).toEqual(["1.0.0", "1.1.0"]);
    });
  }

  test("a stack no parser understands is stored as raw text (scrubbed) and grouped by its message", async () => {
    const site = "raw.example";
    const stack = `${fixture("apple/first-throw-addresses-only.txt")}\nlogged in as jane.doe@example.org`;
    const send = (message: string) => t.post("/api/crash", { site, errorType: "NSInvalidArgumentException", message, stack, platform: "ios" });
    expect((await send("unrecognized selector sent to instance 0x814bd90")).status).toBe(202);
    expect((await send("unrecognized selector sent to instance 0x7ffa48e00be0")).status).toBe(202);
    expectedRows += 2;
    expect(await t.waitForRows("crashes", expectedRows)).toBe(expectedRows);
    const rows = await t.sql`select frames, raw_stack, group_id from crashes where site = ${site}`;
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.frames).toEqual([]);
      expect(row.raw_stack).toContain("*** First throw call stack:");
      expect(row.raw_stack).toContain("<email>");
      expect(row.raw_stack).not.toContain("jane.doe");
    }
    expect(rows[0]!.group_id).toBe(rows[1]!.group_id);
    const [event] = await t.sql`select payload from event_log where payload->>'site' = ${site} limit 1`;
    expect((event!.payload as { rawStack?: string }).rawStack).toContain("First throw call stack");
  });

  test("a report that carries only a stack gets the exception's message from it", async () => {
    const site = "only-stack.example";
    const res = await t.post("/api/crash", { site, errorType: "ValueError", stack: fixture("python/dist-packages-stdlib.txt"), platform: "python" });
    expect(res.status).toBe(202);
    expectedRows += 1;
    expect(await t.waitForRows("crashes", expectedRows)).toBe(expectedRows);
    const [row] = await t.sql`select message, jsonb_array_length(frames) as n from crashes where site = ${site}`;
    expect(row).toMatchObject({ message: "no last exception", n: 2 });
  });
});
