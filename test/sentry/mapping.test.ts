import { describe, expect, test } from "bun:test";
import { adaptEnvelope } from "../../src/ingest/adapters/sentry/adapter.ts";
import { keyFromAuthHeader, keyFromDsn, keyFromRequest } from "../../src/ingest/adapters/sentry/auth.ts";
import { parseEnvelope } from "../../src/ingest/adapters/sentry/envelope.ts";
import { sentryEventToCrash } from "../../src/ingest/adapters/sentry/event-to-crash.ts";
import { sentryFeedback } from "../../src/ingest/adapters/sentry/feedback.ts";
import { SENTRY_LIMITS } from "../../src/ingest/adapters/sentry/limits.ts";
import { createSessionMemory, sessionAggregateCounts, sessionUpdateCounts } from "../../src/ingest/adapters/sentry/sessions.ts";
import { NEVER_STORED, PII, envelope, fullEvent } from "./fixtures.ts";

describe("sentryEventToCrash", () => {
  test("the last exception is primary, frames reversed to innermost-first, in_app kept", () => {
    const c = sentryEventToCrash(fullEvent());
    expect(c.errorType).toBe("TypeError");
    expect(c.message).toStartWith("Cannot read properties of undefined (reading 'id')");
    expect(c.stackTrace.map((f) => f.function)).toEqual(["renderTotal", "checkout", "callCallback"]);
    expect(c.stackTrace.map((f) => f.inApp)).toEqual([undefined, true, false]);
    expect(c.stackTrace[0]).toEqual({ file: "https://shop.example.com/assets/main.3f9a2c1b.js", function: "renderTotal", line: 88, column: 5 });
    expect([c.release, c.environment, c.platform, c.osVersion, c.severity]).toEqual(["shop@2.4.0", "production", "javascript", "14", "error"]);
    expect(c.eventId).toBe("245a13d5c9904d60b3737d0a9f75bb90");
    expect(c.context).toEqual({
      os: { name: "Android", version: "14" },
      device: { model: "Pixel 8", family: "Pixel" },
      app: { name: "Shop", version: "2.4.0" },
      mechanism: { type: "onerror", handled: false },
    });
    expect(c.breadcrumbs).toHaveLength(2);
    expect(c.breadcrumbs![1]).toEqual({
      type: "http",
      category: "fetch",
      timestamp: 1795317223.83,
      data: { method: "GET", url: "https://api.example.com/x?key=SECRET123", status_code: 500 },
    });
    expect(c.fingerprint).toBeUndefined();
  });

  test("never copies a never-stored field", () => {
    const json = JSON.stringify(sentryEventToCrash(fullEvent()));
    // The message and breadcrumb still hold the email here; the pipeline's scrubber masks those
    // (see sentry-ingest.int.test.ts). Everything else must be absent already.
    for (const marker of NEVER_STORED.filter((m) => m !== PII.email)) expect(json).not.toContain(marker);
    for (const key of [
      "user",
      "server_name",
      "cookies",
      "headers",
      "modules",
      "pre_context",
      "context_line",
      "post_context",
      "vars",
      "query_string",
      "ip_address",
      "tags",
      "extra",
    ]) {
      expect(json).not.toContain(`"${key}"`);
    }
  });

  test("level maps to severity; info and debug messages are warnings", () => {
    for (const [level, severity] of [
      ["fatal", "fatal"],
      ["error", "error"],
      ["warning", "warning"],
      ["info", "warning"],
      ["debug", "warning"],
    ]) {
      expect(sentryEventToCrash({ level, message: "m" }).severity).toBe(severity as never);
    }
    expect(sentryEventToCrash({ exception: { values: [{ type: "E", value: "v" }] } }).severity).toBe("error");
  });

  test("message and logentry events land as type Message", () => {
    expect(sentryEventToCrash({ message: "plain text" })).toMatchObject({ errorType: "Message", message: "plain text", stackTrace: [] });
    expect(sentryEventToCrash({ logentry: { message: "Hello %s", formatted: "Hello world", params: ["world"] } }).message).toBe("Hello world");
    expect(sentryEventToCrash({ message: { message: "old %s", formatted: "old style" } }).message).toBe("old style");
  });

  test("JVM frames: module-qualified functions, system packages not in app, crashed thread when the exception has no stack", () => {
    const c = sentryEventToCrash({
      platform: "java",
      exception: { values: [{ type: "IllegalStateException", value: "bad", module: "java.lang", thread_id: 2 }] },
      threads: {
        values: [
          { id: 1, stacktrace: { frames: [{ function: "idle", module: "x.Y" }] } },
          {
            id: 2,
            crashed: true,
            stacktrace: {
              frames: [
                { filename: "ZygoteInit.java", module: "com.android.internal.os.ZygoteInit", function: "main", lineno: 947 },
                { filename: "MainActivity.kt", module: "com.shop.MainActivity", function: "onCreate", lineno: 42 },
              ],
            },
          },
        ],
      },
    });
    expect(c.stackTrace).toEqual([
      { file: "MainActivity.kt", function: "com.shop.MainActivity.onCreate", line: 42, column: null },
      { file: "ZygoteInit.java", function: "com.android.internal.os.ZygoteInit.main", line: 947, column: null, inApp: false },
    ]);
  });

  test("a custom fingerprint is kept, the default one is not", () => {
    expect(sentryEventToCrash({ message: "m", fingerprint: ["checkout", "v2"] }).fingerprint).toEqual(["checkout", "v2"]);
    expect(sentryEventToCrash({ message: "m", fingerprint: ["{{ default }}", "x"] }).fingerprint).toBeUndefined();
  });

  test("hostile values are capped and made storable", () => {
    const c = sentryEventToCrash({
      exception: {
        values: [
          {
            type: "T\u0000".repeat(500),
            value: "a\ud800b".repeat(10_000),
            stacktrace: { frames: Array.from({ length: 5000 }, (_, i) => ({ filename: `f${i}.js`, function: "g", lineno: i })) },
          },
        ],
      },
      release: 42,
      environment: ["x"],
    });
    expect(c.errorType.length).toBeLessThanOrEqual(200);
    expect(c.errorType).not.toContain("\u0000");
    expect(c.message).toBe(c.message.toWellFormed());
    expect(c.stackTrace).toHaveLength(SENTRY_LIMITS.frames);
    expect(c.stackTrace[0]!.file).toBe("f4999.js");
    expect([c.release, c.environment]).toEqual([null, null]);
  });
});

describe("sessions", () => {
  const now = new Date("2026-11-22T10:30:00Z");
  const update = (over: Record<string, unknown>) => ({
    sid: PII.sid,
    did: PII.did,
    init: false,
    started: "2026-11-22T10:05:00Z",
    status: "ok",
    errors: 0,
    attrs: { release: "app@1", environment: "prod", ip_address: "{{auto}}", user_agent: PII.ua },
    ...over,
  });

  test("one session's updates count it once per outcome", () => {
    const memory = createSessionMemory();
    const seq = [update({ init: true }), update({ errors: 1 }), update({ errors: 3 }), update({ status: "crashed", errors: 4 }), update({ status: "crashed", errors: 4 })];
    const counts = seq.map((s) => sessionUpdateCounts(s, 1, memory, now));
    expect(counts.map((c) => c && [c.started, c.errored, c.crashed, c.abnormal])).toEqual([[1, 0, 0, 0], [0, 1, 0, 0], null, [0, 0, 1, 0], null]);
    expect(counts[0]).toMatchObject({ release: "app@1", environment: "prod", hour: new Date("2026-11-22T10:00:00Z") });
    expect(JSON.stringify(counts)).not.toContain(PII.sid);
    expect(JSON.stringify(counts)).not.toContain("DEVICE-ID");
    // Another project with the same sid is another session.
    expect(sessionUpdateCounts(update({ errors: 1 }), 2, memory, now)?.errored).toBe(1);
  });

  test("no release, nothing counted; timestamps far off are counted now", () => {
    const memory = createSessionMemory();
    expect(sessionUpdateCounts(update({ init: true, attrs: {} }), 1, memory, now)).toBeNull();
    expect(sessionUpdateCounts(update({ init: true, sid: "b", started: "1999-01-01T00:00:00Z" }), 1, memory, now)?.hour).toEqual(new Date("2026-11-22T10:00:00Z"));
    expect(sessionUpdateCounts(update({ init: true, sid: "c", started: "2099-01-01T00:00:00Z" }), 1, memory, now)?.hour).toEqual(new Date("2026-11-22T10:00:00Z"));
  });

  test("aggregates: counts per hour; errored includes crashed and abnormal", () => {
    const counts = sessionAggregateCounts(
      {
        attrs: { release: "api@3", environment: "production" },
        aggregates: [
          { started: "2026-11-22T09:10:00Z", exited: 10, errored: 2, crashed: 1, did: PII.did },
          { started: "2026-11-22T09:50:00Z", exited: 5, abnormal: 1 },
          { started: "2026-11-22T10:01:00Z", exited: 3, crashed: -4 },
        ],
      },
      now,
    );
    expect(counts).toEqual([
      { release: "api@3", environment: "production", hour: new Date("2026-11-22T09:00:00Z"), started: 19, errored: 4, crashed: 1, abnormal: 1 },
      { release: "api@3", environment: "production", hour: new Date("2026-11-22T10:00:00Z"), started: 3, errored: 0, crashed: 0, abnormal: 0 },
    ]);
  });
});

describe("feedback items", () => {
  test("feedback: message, typed email, url, associated event; never the user's email or name", () => {
    const f = sentryFeedback("feedback", {
      type: "feedback",
      release: "shop@2",
      platform: "javascript",
      user: { email: PII.email, id: PII.userId },
      contexts: {
        feedback: {
          message: "Checkout broke",
          contact_email: "typed@example.org",
          name: "Dana K",
          url: "https://shop.example.com/cart",
          associated_event_id: "245A13D5-C990-4D60-B373-7D0A9F75BB90",
        },
      },
    });
    expect(f).toEqual({
      category: "bug",
      message: "Checkout broke",
      email: "typed@example.org",
      url: "https://shop.example.com/cart",
      release: "shop@2",
      platform: "javascript",
      environment: null,
      associatedEventId: "245a13d5c9904d60b3737d0a9f75bb90",
      source: "sentry_feedback",
    });
    expect(JSON.stringify(f)).not.toContain("Dana K");
  });

  test("user_report; empty feedback is nothing", () => {
    expect(sentryFeedback("user_report", { event_id: "245a13d5c9904d60b3737d0a9f75bb90", name: "Dana", email: "not-an-email", comments: "it crashed" })).toMatchObject({
      category: "bug",
      message: "it crashed",
      email: null,
      source: "sentry_user_report",
    });
    expect(sentryFeedback("feedback", { contexts: { feedback: { message: "  " } } })).toBeNull();
  });
});

describe("adaptEnvelope", () => {
  const adapt = (text: string) => adaptEnvelope(parseEnvelope(new TextEncoder().encode(text), SENTRY_LIMITS), { projectId: 1, sessions: createSessionMemory(), now: new Date() });

  test("each item type becomes its request or is counted as discarded", () => {
    const a = adapt(
      envelope({ event_id: "9ec79c33ec9942ab8353589fcb2e04dc", sent_at: "2026-11-22T10:00:00Z" }, [
        { header: { type: "event" }, payload: fullEvent() },
        { header: { type: "session" }, payload: { sid: "s1", init: true, status: "ok", attrs: { release: "r1" } }, withLength: true },
        { header: { type: "user_report" }, payload: { event_id: "245a13d5c9904d60b3737d0a9f75bb90", comments: "broken" } },
        { header: { type: "client_report" }, payload: { discarded_events: [{ reason: "before_send", category: "error", quantity: 1 }] } },
        { header: { type: "transaction" }, payload: "{not even json" },
        { header: { type: "replay_recording" }, payload: "binary" },
        { header: { type: "something_new" }, payload: {} },
      ]),
    );
    expect(a.eventId).toBe("9ec79c33ec9942ab8353589fcb2e04dc");
    expect(a.requests.map((r) => r.kind)).toEqual(["crash", "feedback", "sessions"]);
    expect(a.discarded).toEqual({ client_report: 1, transaction: 1, replay_recording: 1, unknown: 1 });
  });

  test("one invalid item rejects the envelope", () => {
    expect(() =>
      adapt(
        envelope({}, [
          { header: { type: "event" }, payload: { message: "ok" } },
          { header: { type: "session" }, payload: "{oops" },
        ]),
      ),
    ).toThrow(/item 2 \(session\) is not valid JSON/);
    expect(() => adapt(envelope({}, [{ header: { type: "event" }, payload: "[1,2]" }]))).toThrow(/must be a JSON object/);
  });
});

describe("keys", () => {
  test("from ?sentry_key, X-Sentry-Auth, Authorization and a DSN", () => {
    expect(keyFromRequest(new URL("http://x/api/1/envelope/?sentry_key=abc&sentry_version=7"), new Headers())?.key).toBe("abc");
    expect(
      keyFromRequest(
        new URL("http://x/api/1/store/"),
        new Headers({ "x-sentry-auth": "Sentry sentry_version=7, sentry_client=raven-python/6.10.0, sentry_key=k_1, sentry_secret=s" }),
      )?.key,
    ).toBe("k_1");
    expect(keyFromRequest(new URL("http://x/"), new Headers({ authorization: "Sentry sentry_key=zz" }))?.key).toBe("zz");
    expect(keyFromRequest(new URL("http://x/"), new Headers({ authorization: "Bearer zz" }))).toBeNull();
    expect(keyFromAuthHeader("Sentry sentry_key=")).toBeNull();
    expect(keyFromDsn("https://pk_live_abc@errors.example.com/sub/42")).toEqual({ key: "pk_live_abc", dsnProjectId: "42" });
    expect(keyFromDsn("https://%zz@x/1")).toBeNull();
    expect(keyFromDsn(42)).toBeNull();
  });
});

describe("newer SDK shapes", () => {
  test("a message with a synthetic exception (attachStacktrace) is still a message", () => {
    const c = sentryEventToCrash({
      level: "info",
      message: "hello",
      exception: {
        values: [
          {
            value: "hello",
            mechanism: { type: "generic", handled: true, synthetic: true },
            stacktrace: { frames: [{ filename: "https://a.example/app.js", function: "report", lineno: 1 }] },
          },
        ],
      },
    });
    expect(c).toMatchObject({ errorType: "Message", message: "hello", severity: "warning" });
    expect(c.stackTrace.map((f) => f.function)).toEqual(["report"]);
    expect(c.context).toBeNull();
  });

  test('session status "unhandled" counts as errored, once', () => {
    const memory = createSessionMemory();
    const now = new Date();
    const base = { sid: "s-unhandled", started: now.toISOString(), attrs: { release: "web@1" } };
    expect(sessionUpdateCounts({ ...base, init: true, status: "ok" }, 1, memory, now)).toMatchObject({ started: 1, errored: 0 });
    expect(sessionUpdateCounts({ ...base, status: "unhandled", errors: 1 }, 1, memory, now)).toMatchObject({ started: 0, errored: 1, crashed: 0 });
    expect(sessionUpdateCounts({ ...base, status: "unhandled", errors: 2 }, 1, memory, now)).toBeNull();
  });
});
