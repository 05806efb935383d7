/**
 * A Python app posting with python-requests (gzip envelope, X-Sentry-Auth, as sentry-python does)
 * and an Android app's Java event: both land with frames, and group by code path — the same bug
 * at other line numbers or in another release is one group, the same message from another code
 * path is another group.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { listenApi } from "../e2e/harness.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { until } from "../support/wait.ts";
import { dumpAllTables, makeProject, type TestProject } from "./helpers.ts";

setDefaultTimeout(60_000);

const python = Bun.which("python3");
const hasRequests = python !== null && Bun.spawnSync([python, "-c", "import requests"]).exitCode === 0;
if (!hasRequests) console.warn("[skip] python3 with the requests package not found: the python-requests test is skipped");

let t: TestApp;
let api: ReturnType<typeof listenApi>;
let project: TestProject;

beforeAll(async () => {
  t = await startTestApp();
  api = listenApi(t);
  project = await makeProject(t, "Mobile", ["shop.example.com"]);
});
afterAll(async () => {
  await api.app.stop();
  await t.stop();
});

const groupOf = async (eventId: string) => {
  const row = await until(async () => (await t.sql`select group_id, frames, error_type, platform from crashes where event_id = ${eventId}`)[0], `crash ${eventId}`);
  return row!;
};

describe.skipIf(!hasRequests)("python-requests", () => {
  // Async spawn: the server answering it runs in this process.
  const run = async (release: string, variant: string) => {
    const p = Bun.spawn([python!, join(import.meta.dir, "clients", "python-client.py"), project.dsn(new URL(api.origin).host), release, variant], {
      stdout: "pipe",
      stderr: "pipe",
    });
    const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
    if (code !== 0) throw new Error(err);
    return JSON.parse(out) as { status: number; body: { id: string }; event_id: string };
  };

  test("lands with frames innermost-first and groups by code path", async () => {
    const a = await run("api@1.0.0", "base");
    const b = await run("api@1.1.0", "shifted");
    const c = await run("api@1.0.0", "other-path");
    for (const r of [a, b, c]) expect([r.status, r.body.id]).toEqual([200, r.event_id]);
    const [ga, gb, gc] = [await groupOf(a.event_id), await groupOf(b.event_id), await groupOf(c.event_id)];
    expect(ga.error_type).toBe("ZeroDivisionError");
    expect(ga.platform).toBe("python");
    expect(ga.frames.map((f: { function: string }) => f.function)).toEqual(["divide", "handler", "<module>"]);
    expect(ga.frames[0].file).toBe("app/python-client.py");
    expect(gb.frames[0].line).toBe(ga.frames[0].line + 7);
    expect(gb.group_id).toBe(ga.group_id); // same bug, other lines and release
    expect(gc.group_id).not.toBe(ga.group_id); // same message, another code path
    const [g] = await t.sql`select occurrences, releases from crash_groups where id = ${ga.group_id}`;
    expect(g).toMatchObject({ occurrences: 2, releases: ["api@1.0.0", "api@1.1.0"] });
    const dump = await dumpAllTables(t.sql);
    for (const m of ["SOURCE-LINE-MARKER", "FRAME-VAR-MARKER", "prod-db-host-7", "dana@example.com", "user-8842", "django", "sentry.python/2.19.0"]) expect(dump).not.toContain(m);
  });
});

describe("an Android app's Java event (as sentry-java sends it)", () => {
  const send = async (eventId: string, variant: "base" | "shifted" | "other-path") => {
    const frames = [
      { filename: "ZygoteInit.java", module: "com.android.internal.os.ZygoteInit", function: "main", lineno: 947 },
      { filename: "ActivityThread.java", module: "android.app.ActivityThread", function: "main", lineno: 8177 },
      { filename: "Activity.java", module: "android.app.Activity", function: "performCreate", lineno: 8290 },
      variant === "other-path"
        ? { filename: "SettingsActivity.kt", module: "com.shop.SettingsActivity", function: "onCreate", lineno: 31 }
        : { filename: "CheckoutActivity.kt", module: "com.shop.CheckoutActivity", function: "onCreate", lineno: variant === "shifted" ? 58 : 42 },
      { filename: "CartRepository.kt", module: "com.shop.data.CartRepository", function: "load", lineno: variant === "shifted" ? 120 : 97 },
      { filename: "Preconditions.java", module: "kotlin.jvm.internal.Intrinsics", function: "checkNotNull", lineno: 3 },
    ];
    const event = {
      event_id: eventId,
      platform: "java",
      level: "fatal",
      release: variant === "shifted" ? "com.shop@2.1.0+210" : "com.shop@2.0.0+200",
      environment: "production",
      contexts: {
        os: { name: "Android", version: "14" },
        device: { model: "Pixel 8", name: "Dana's Pixel", id: "DEVICE-ID-MARKER" },
        app: { app_name: "Shop", app_version: "2.0.0" },
      },
      user: { id: "user-8842" },
      exception: {
        values: [
          { type: "IllegalStateException", value: "cart is null", module: "java.lang", mechanism: { type: "UncaughtExceptionHandler", handled: false }, stacktrace: { frames } },
        ],
      },
    };
    const body = [JSON.stringify({ event_id: eventId, sdk: { name: "sentry.java.android", version: "7.18.0" } }), JSON.stringify({ type: "event" }), JSON.stringify(event)].join(
      "\n",
    );
    const r = await fetch(`${api.origin}/api/${project.id}/envelope/`, {
      method: "POST",
      body,
      headers: {
        "x-sentry-auth": `Sentry sentry_version=7,sentry_client=sentry.java.android/7.18.0,sentry_key=${project.key}`,
        "user-agent": "sentry.java.android/7.18.0",
        "content-type": "application/x-sentry-envelope",
      },
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ id: eventId });
  };

  test("lands with frames; system packages are not in-app; groups by code path", async () => {
    await send("1a".repeat(16), "base");
    await send("2b".repeat(16), "shifted");
    await send("3c".repeat(16), "other-path");
    const [a, b, c] = [await groupOf("1a".repeat(16)), await groupOf("2b".repeat(16)), await groupOf("3c".repeat(16))];
    expect(a.error_type).toBe("IllegalStateException");
    expect(a.frames.map((f: { function: string; inApp: boolean }) => [f.function, f.inApp])).toEqual([
      ["kotlin.jvm.internal.Intrinsics.checkNotNull", false],
      ["com.shop.data.CartRepository.load", true],
      ["com.shop.CheckoutActivity.onCreate", true],
      ["android.app.Activity.performCreate", false],
      ["android.app.ActivityThread.main", false],
      ["com.android.internal.os.ZygoteInit.main", false],
    ]);
    expect(b.group_id).toBe(a.group_id);
    expect(c.group_id).not.toBe(a.group_id);
    const [row] = await t.sql`select severity, context from crashes where event_id = ${"1a".repeat(16)}`;
    expect(row).toMatchObject({ severity: "fatal", context: { os: { name: "Android", version: "14" }, device: { model: "Pixel 8" }, app: { name: "Shop", version: "2.0.0" } } });
    const dump = await dumpAllTables(t.sql);
    for (const m of ["Dana's Pixel", "DEVICE-ID-MARKER", "user-8842"]) expect(dump).not.toContain(m);
  });
});
