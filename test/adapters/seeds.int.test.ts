import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createProject } from "../../src/accounts/projects.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { until } from "../support/wait.ts";
import { dumpAllTables } from "./dump.ts";

const SECRET = "a-256-bit-random-secret-for-tests";
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { HMAC_SECRET: SECRET } });
});
afterAll(() => t.stop());

const rowsFor = (table: string, site: string, want: number) =>
  until(async () => {
    const rows = await t.sql.unsafe(`select * from ${table} where site = $1 order by occurred_at, id`, [site]).catch(() => []);
    return rows.length >= want ? rows : null;
  }, `${want} ${table} rows for ${site}`);

const TRACEBACK = `Traceback (most recent call last):
  File "/home/dev/app/main.py", line 42, in <module>
    run()
  File "/home/dev/app/main.py", line 12, in run
    parse_config(path)
  File "/home/dev/app/config.py", line 7, in parse_config
    raise ValueError("Something went wrong")
ValueError: Something went wrong`;

// The seed's documented body, with hardware specs shaped as its SQL queries read them.
const report = (app: string) => ({
  app_name: app,
  app_version: "v1.0.0",
  platform: "windows",
  crash_timestamp: "2024-01-01T00:00:00Z",
  error_message: "ValueError: Something went wrong",
  stack_trace: TRACEBACK,
  hardware_specs: { cpu: { name: "AMD Ryzen 7 5800X", cores: 8 }, memory: { total: 17179869184 }, gpu: { name: "NVIDIA GeForce RTX 3070" }, platform: { system: "Windows" } },
  user_id: "anonymous-user-123",
  session_id: "session-456",
});
const sign = (body: string, secret = SECRET) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

describe("seed 000: POST /report", () => {
  test("a signed report → {success, id}; type split, traceback parsed, hardware kept as context", async () => {
    const body = JSON.stringify(report("ignored-by-header"));
    const res = await t.post("/report", body, { raw: true, headers: { "x-app-name": "my-app", "x-hmac-signature": sign(body), "user-agent": "python-requests/2.31" } });
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer).toEqual({ success: true, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const [row] = await rowsFor("crashes", "my-app", 1);
    expect(row!.id).toBe(answer.id);
    expect(row!.error_type).toBe("ValueError");
    expect(row!.message).toBe("Something went wrong");
    expect(row!.release).toBe("v1.0.0");
    expect(row!.frames.map((f: { function: string }) => f.function)).toContain("parse_config");
    // The seed's hardware query, against context.hardware_specs.
    const [gpu] =
      await t.sql`select context->'hardware_specs'->'gpu'->>'name' as gpu, (context->'hardware_specs'->'cpu'->>'cores')::int as cores from crashes where site = 'my-app'`;
    expect(gpu).toEqual({ gpu: "NVIDIA GeForce RTX 3070", cores: 8 });
  });

  test("a wrong, missing or other-secret signature → 401, nothing stored", async () => {
    const body = JSON.stringify(report("unsigned-app"));
    for (const signature of [undefined, "sha256=" + "0".repeat(64), sign(body, "another-secret-of-16-chars"), "md5=abc"]) {
      const res = await t.post("/report", body, { raw: true, headers: signature ? { "x-hmac-signature": signature } : {} });
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe("invalid_signature");
    }
    // A signature over other bytes (one space added) does not verify either.
    const res = await t.post("/report", body + " ", { raw: true, headers: { "x-hmac-signature": sign(body) } });
    expect(res.status).toBe(401);
    expect(await t.sql`select 1 from event_log where payload->>'site' = 'unsigned-app'`).toHaveLength(0);
  });

  test("bad bodies → 4xx naming the field", async () => {
    const missing = JSON.stringify({ app_name: "x" });
    const res = await t.post("/report", missing, { raw: true, headers: { "x-hmac-signature": sign(missing) } });
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toContain("error_message");
  });
});

describe("seed 000 without a secret", () => {
  test("the signature header is ignored", async () => {
    const t2 = await startTestApp({ delivery: false });
    try {
      const res = await t2.post("/report", report("no-secret-app"), { headers: { "x-hmac-signature": "sha256=nonsense" } });
      expect(res.status).toBe(200);
    } finally {
      await t2.stop();
    }
  });
});

describe("seed 003: POST /event and /collect", () => {
  const origin = { origin: "https://collector.example", referer: "https://collector.example/shop/cart?session=abc" };

  test("the documented /event: a page view, client ids dropped", async () => {
    const res = await t.post(
      "/event",
      {
        visitor_id: "v_8c1f2e",
        session_id: "s_77aa01",
        pageview_id: "p_0b9c3d",
        event_type: "pageview",
        seq: 1,
        client_timestamp: "2025-01-01T00:00:00Z",
        path: "/",
        referrer: null,
        payload: { k: "v" },
      },
      { headers: origin },
    );
    expect(res.status).toBe(202);
    const [row] = await rowsFor("pageviews", "collector.example", 1);
    expect(row!.pathname).toBe("/");
  });

  test("other event types are custom events; webvitals are measurements", async () => {
    expect(
      (
        await t.post(
          "/event",
          { visitor_id: "v_8c1f2e", session_id: "s_77aa01", pageview_id: "p_0b9c3d", event_type: "add_to_cart", seq: 2, path: "/shop", payload: { sku: "A-1", qty: 2 } },
          { headers: origin },
        )
      ).status,
    ).toBe(202);
    expect(
      (
        await t.post(
          "/event",
          {
            visitor_id: "v_8c1f2e",
            session_id: "s_77aa01",
            pageview_id: "p_0b9c3d",
            event_type: "webvitals",
            seq: 3,
            path: "/shop",
            payload: { LCP: 1800, FCP: 700, FID: 12, CLS: 0.02 },
          },
          { headers: origin },
        )
      ).status,
    ).toBe(202);
    const [ev] = await rowsFor("custom_events", "collector.example", 1);
    expect(ev).toMatchObject({ event_name: "add_to_cart", pathname: "/shop", properties: { sku: "A-1", qty: 2 } });
    const [v] = await rowsFor("web_vitals", "collector.example", 1);
    expect(v).toMatchObject({ pathname: "/shop", lcp: 1800, fcp: 700, cls: 0.02, inp: null });
  });

  test("/collect: errors → crashes, timing → a measurement, fingerprints nowhere", async () => {
    const body = {
      browser: {
        userAgent: "Mozilla/5.0 FingerprintUA/7.7",
        language: "xx-FP",
        platform: "Linux x86_64",
        screen: { width: 2999, height: 1777 },
        deviceMemory: 8,
        hardwareConcurrency: 13,
      },
      performance: {
        timing: { navigationStart: 1700000000000, requestStart: 1700000000030, responseStart: 1700000000090, domContentLoadedEventEnd: 1700000000400, loadEventEnd: 1700000000850 },
        resources: [{ name: "https://cdn.example/app.js", duration: 40, transferSize: 1234 }],
        memory: { usedJSHeapSize: 9999111 },
      },
      fingerprints: {
        canvas: "data:image/png;base64,CANVASFINGERPRINT",
        fonts: ["Wingdings-FP", "Comic Sans MS"],
        webgl: { vendor: "WebGLVendorFP", renderer: "ANGLE FP Renderer" },
      },
      errors: [{ message: "Uncaught TypeError: x is undefined", filename: "https://collector.example/static/script.js", lineno: 12, colno: 5, timestamp: "2025-01-01T00:00:00Z" }],
      network: { effectiveType: "4g-FP", downlink: 7.77 },
      battery: { level: 0.4242, charging: true },
      benchmarks: { cpu: 123.456 },
      client_timestamp: "2025-01-01T00:00:00Z",
    };
    const res = await t.post("/collect", body, { headers: { ...origin, referer: "https://collector.example/dashboard" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(body);
    const [crash] = await rowsFor("crashes", "collector.example", 1);
    expect(crash).toMatchObject({ error_type: "TypeError", message: "x is undefined", pathname: "/dashboard" });
    const [v] = await rowsFor("web_vitals", "collector.example", 2);
    const timing = (await t.sql`select ttfb, dom_content_loaded, load from web_vitals where site = 'collector.example' and load is not null`)[0];
    expect(timing).toEqual({ ttfb: 90, dom_content_loaded: 400, load: 850 });
    expect(v).toBeDefined();
    // Every table, the event log among them, and every log line (LOG_LEVEL=debug in tests).
    const dump = (await dumpAllTables(t.sql)) + "\n" + t.logs.join("\n");
    for (const secret of [
      "FingerprintUA",
      "xx-FP",
      "2999",
      "CANVASFINGERPRINT",
      "Wingdings-FP",
      "WebGLVendorFP",
      "ANGLE FP",
      "4g-FP",
      "0.4242",
      "123.456",
      "9999111",
      "v_8c1f2e",
      "s_77aa01",
      "p_0b9c3d",
      "anonymous-user-123",
      "session-456",
      "python-requests",
      "203.0.113.7",
    ]) {
      expect(dump).not.toContain(secret);
    }
  });

  test("bodies over 256 KB → 413; bad bodies → 4xx", async () => {
    const big = { event_type: "pageview", payload: { blob: "x".repeat(300 * 1024) } };
    expect((await t.post("/event", big, { headers: origin })).status).toBe(413);
    expect((await t.post("/collect", { errors: [{ message: "x".repeat(300 * 1024) }] }, { headers: origin })).status).toBe(413);
    // Up to 256 KB is accepted even though our own endpoints stop at MAX_BODY_BYTES (64 KB).
    expect((await t.post("/event", { event_type: "big_one", payload: { blob: "x".repeat(100 * 1024) } }, { headers: origin })).status).toBe(202);
    const bad = await t.post("/event", { event_type: "" }, { headers: origin });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.message).toContain("event_type");
    expect((await t.post("/collect", { errors: "nope" }, { headers: origin })).status).toBe(422);
  });
});

describe("seed 002: POST /sdk/:app_slug/crashes", () => {
  // The RFC's body; deviceInfo carries an identifier that must not be kept.
  const body = {
    errorType: "TypeError",
    errorMessage: "Cannot read properties of undefined (reading 'id')",
    stackTrace: [
      { file: "src/main.ts", line: 10, column: 5, function: "boot" },
      { file: "src/app.ts", line: 3, column: 1, function: "start", isNative: false },
    ],
    appVersion: "1.4.0",
    platform: "macos",
    osVersion: "14.2",
    deviceInfo: { model: "MacBookPro18,3", arch: "arm64", deviceId: "dev-5566-secret" },
    appState: { screen: "settings" },
    breadcrumbs: [{ type: "navigation", message: "opened settings", timestamp: "2025-01-01T00:00:00Z" }],
    severity: "fatal",
    userId: "user-7788-secret",
  };

  test("the app's public key → {success, data: {id, groupId}}; userId and device ids never stored", async () => {
    const db = { sql: t.runtime.deps.database.sql, ensureSchema: t.runtime.deps.ensureSchema };
    const app = await createProject(db, { name: "Desk App", slug: "desk-app" }, {});
    const other = await createProject(db, { name: "Other App", slug: "other-app" }, {});
    const res = await t.post("/sdk/desk-app/crashes", body, { headers: { "x-api-key": app.key, "user-agent": "oasis-sdk/1.0" } });
    expect(res.status).toBe(200);
    const answer = await res.json();
    expect(answer).toEqual({ success: true, data: { id: expect.any(String), groupId: expect.any(String) } });
    const [row] = await rowsFor("crashes", "desk-app", 1);
    expect(row).toMatchObject({
      id: answer.data.id,
      group_id: answer.data.groupId,
      error_type: "TypeError",
      release: "1.4.0",
      platform: "macos",
      os_version: "14.2",
      severity: "fatal",
    });
    expect(row!.context).toEqual({ device: { model: "MacBookPro18,3", arch: "arm64" }, appState: { screen: "settings" } });
    // Another project's key: 403; an unknown key or none: 401. Nothing stored for any.
    const wrong = await t.post("/sdk/desk-app/crashes", body, { headers: { "x-api-key": other.key } });
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).error.code).toBe("wrong_project");
    expect((await t.post("/sdk/desk-app/crashes", body, { headers: { "x-api-key": "pk_desk-app_0000000000000000" } })).status).toBe(401);
    const none = await t.post("/sdk/desk-app/crashes", body);
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe("unauthorized");
    expect(await t.sql`select 1 from crashes where site = 'desk-app'`).toHaveLength(1);
    const dump = (await dumpAllTables(t.sql)) + "\n" + t.logs.join("\n");
    for (const secret of ["user-7788-secret", "dev-5566-secret", app.key, other.key]) expect(dump).not.toContain(secret);
  });

  test("bad bodies → 422 naming the field", async () => {
    const res = await t.post("/sdk/desk-app/crashes", { ...body, stackTrace: "nope" }, { headers: { "x-api-key": "pk_desk-app_0000000000000000" } });
    expect([401, 422]).toContain(res.status);
    const res2 = await t.post("/sdk/desk-app/crashes", { errorType: "E" });
    expect(res2.status).toBe(422);
    expect((await res2.json()).error.message).toContain("errorMessage");
  });
});
