import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import zlib from "node:zlib";
import { feedbackForGroup } from "../../src/feedback/feedback-for-group.ts";
import { crashFreeRate } from "../../src/release-health/crash-free-rate.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { until } from "../support/wait.ts";
import { NEVER_STORED, PII, envelope, fullEvent } from "./fixtures.ts";
import { counts, dumpAllTables, makeProject, type TestProject } from "./helpers.ts";

let t: TestApp;
let shop: TestProject;
let other: TestProject;

beforeAll(async () => {
  t = await startTestApp();
  shop = await makeProject(t, "Shop", ["shop.example.com"]);
  other = await makeProject(t, "Other");
});
afterAll(() => t.stop());

const send = (path: string, body: BodyInit | null, headers: Record<string, string> = {}, method = "POST") =>
  t.app.handle(
    new Request(`http://localhost${path}`, { method, body, headers: { "user-agent": "sentry.javascript.node/10.78.0", "x-forwarded-for": "198.51.100.23", ...headers } }),
  );
const envelopePath = (p: TestProject, suffix = "envelope/") => `/api/${p.id}/${suffix}?sentry_version=7&sentry_key=${p.key}&sentry_client=sentry.javascript.node%2F10.78.0`;

describe("Sentry envelope ingest", () => {
  test("an error event lands as a crash, mapped and scrubbed", async () => {
    const res = await send(
      envelopePath(shop),
      envelope({ event_id: "245a13d5c9904d60b3737d0a9f75bb90", sent_at: new Date().toISOString() }, [{ header: { type: "event" }, payload: fullEvent() }]),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: "245a13d5c9904d60b3737d0a9f75bb90" });
    await until(async () => (await t.sql`select 1 from crashes where event_id = '245a13d5c9904d60b3737d0a9f75bb90'`).length === 1, "the crash row");
    const [c] = await t.sql`select * from crashes where event_id = '245a13d5c9904d60b3737d0a9f75bb90'`;
    expect(c).toMatchObject({
      site: "shop.example.com",
      pathname: "/cart/checkout",
      error_type: "TypeError",
      message: "Cannot read properties of undefined (reading 'id') for <email>",
      release: "shop@2.4.0",
      environment: "production",
      platform: "javascript",
      os_version: "14",
      severity: "error",
    });
    expect(c!.frames.map((f: { function: string; inApp: boolean }) => [f.function, f.inApp])).toEqual([
      ["renderTotal", true],
      ["checkout", true],
      ["callCallback", false],
    ]);
    expect(c!.frames[0]).toEqual({ file: "https://shop.example.com/assets/main.3f9a2c1b.js", function: "renderTotal", line: 88, column: 5, inApp: true });
    expect(c!.breadcrumbs[0].message).toBe("login <email>");
    expect(c!.breadcrumbs[1].data.url).toBe("https://api.example.com/x");
    expect(c!.context).toEqual({
      os: { name: "Android", version: "14" },
      device: { model: "Pixel 8", family: "Pixel" },
      app: { name: "Shop", version: "2.4.0" },
      mechanism: { type: "onerror", handled: false },
    });
    expect(c!.visitor_hash).toMatch(/^[0-9a-f]{32}$/);
  });

  test("no never-stored field reaches any table or the event log", async () => {
    const dump = await dumpAllTables(t.sql);
    for (const marker of NEVER_STORED) expect(dump).not.toContain(marker);
    for (const key of ["server_name", "ip_address", "user_agent", "cookies", "pre_context", "context_line", "post_context", '"vars"', '"modules"', "SECRET123"])
      expect(dump).not.toContain(key);
  });

  test("the store endpoint, X-Sentry-Auth, a DSN in the envelope header, with and without the trailing slash", async () => {
    const auth = { "x-sentry-auth": `Sentry sentry_version=7, sentry_client=sentry.python/2.19.0, sentry_key=${shop.key}`, "user-agent": "sentry.python/2.19.0" };
    const store = (slash: string, id: string) =>
      send(
        `/api/${shop.id}/store${slash}`,
        JSON.stringify({
          event_id: id,
          platform: "python",
          level: "error",
          exception: {
            values: [
              {
                type: "ZeroDivisionError",
                value: "division by zero",
                stacktrace: {
                  frames: [
                    { filename: "app.py", function: "main", lineno: 3, in_app: true },
                    { filename: "app.py", function: "divide", lineno: 9, in_app: true },
                  ],
                },
              },
            ],
          },
        }),
        { ...auth, "content-type": "application/json" },
      );
    for (const [slash, id] of [
      ["/", "a".repeat(32)],
      ["", "b".repeat(32)],
    ] as const) {
      const r = await store(slash, id);
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ id });
    }
    const tunnel = await send(
      `/api/${shop.id}/envelope`,
      envelope({ event_id: "c".repeat(32), dsn: shop.dsn("errors.example.com") }, [{ header: { type: "event" }, payload: { message: "via tunnel", level: "info" } }]),
      { "content-type": "text/plain;charset=UTF-8" },
    );
    expect(tunnel.status).toBe(200);
    await until(async () => (await t.sql`select 1 from crashes where event_id in (${"a".repeat(32)}, ${"b".repeat(32)}, ${"c".repeat(32)})`).length === 3, "three crash rows");
    const rows = await t.sql`select event_id, site, error_type, message, severity, frames from crashes where event_id in (${"a".repeat(32)}, ${"c".repeat(32)}) order by event_id`;
    expect(rows[0]).toMatchObject({ site: "shop.example.com", error_type: "ZeroDivisionError", message: "division by zero" });
    expect(rows[0]!.frames.map((f: { function: string }) => f.function)).toEqual(["divide", "main"]);
    expect(rows[1]).toMatchObject({ error_type: "Message", message: "via tunnel", severity: "warning" });
  });

  test("gzip, deflate and br bodies, with lengths", async () => {
    const body = (id: string) => Buffer.from(envelope({ event_id: id }, [{ header: { type: "event" }, payload: { message: `encoded ${id.slice(0, 1)}` }, withLength: true }]));
    for (const [enc, fn, id] of [
      ["gzip", zlib.gzipSync, "d"],
      ["deflate", zlib.deflateSync, "e"],
      ["br", zlib.brotliCompressSync, "f"],
    ] as const) {
      const r = await send(envelopePath(shop), new Uint8Array(fn(body(id.repeat(32)))), { "content-encoding": enc, "content-type": "application/x-sentry-envelope" });
      expect(r.status).toBe(200);
    }
    await until(async () => (await t.sql`select 1 from crashes where message like 'encoded %'`).length === 3, "three encoded crashes");
  });

  test("authentication: missing key 401, unknown key 401, another project's key 403", async () => {
    const body = envelope({}, [{ header: { type: "event" }, payload: { message: "x" } }]);
    const missing = await send(`/api/${shop.id}/envelope/`, body);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: "missing_key" } });
    expect(missing.headers.get("x-sentry-error")).toContain("no public key");
    expect((await send(`/api/${shop.id}/envelope/?sentry_key=pk_nope_0123456789abcdef`, body)).status).toBe(401);
    const wrong = await send(envelopePath(other).replace(`/api/${other.id}/`, `/api/${shop.id}/`), body);
    expect(wrong.status).toBe(403);
    const dsnMismatch = await send(`/api/${shop.id}/envelope/`, envelope({ dsn: other.dsn("x") }, [{ header: { type: "event" }, payload: { message: "x" } }]));
    expect(dsnMismatch.status).toBe(403);
    expect((await send(`/api/abc/envelope/?sentry_key=${shop.key}`, body)).status).toBe(400);
    expect(await t.sql`select 1 from crashes where message = 'x'`).toHaveLength(0);
  });

  test("CORS: preflight from any origin, and responses readable cross-origin", async () => {
    const pre = await send(
      envelopePath(shop),
      null,
      { origin: "https://elsewhere.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-sentry-auth" },
      "OPTIONS",
    );
    expect(pre.status).toBeLessThan(300);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    for (const h of ["content-type", "x-sentry-auth", "content-encoding", "sentry-trace", "baggage"]) expect(pre.headers.get("access-control-allow-headers")).toContain(h);
    const r = await send(envelopePath(shop), envelope({}, [{ header: { type: "client_report" }, payload: { discarded_events: [] } }]), { origin: "https://elsewhere.example" });
    expect(r.status).toBe(200);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(r.headers.get("access-control-expose-headers")).toContain("x-sentry-rate-limits");
  });

  test("sessions → release health, without any session, device or user id", async () => {
    const release = "shop@3.0.0";
    const session = (over: Record<string, unknown>) => ({
      header: { type: "session" },
      payload: {
        sid: PII.sid,
        did: PII.did,
        started: new Date().toISOString(),
        status: "ok",
        errors: 0,
        init: false,
        attrs: { release, environment: "production", ip_address: "{{auto}}", user_agent: PII.ua },
        ...over,
      },
    });
    for (const s of [
      session({ init: true }),
      session({ errors: 1 }),
      session({ status: "crashed", errors: 1 }),
      session({ sid: "second", init: true }),
      session({ sid: "second", status: "exited" }),
    ]) {
      expect((await send(envelopePath(shop), envelope({}, [s]))).status).toBe(200);
    }
    const aggregates = {
      header: { type: "sessions" },
      payload: { attrs: { release, environment: "production" }, aggregates: [{ started: new Date().toISOString(), exited: 6, errored: 1, crashed: 1 }] },
    };
    expect((await send(envelopePath(shop), envelope({}, [aggregates]))).status).toBe(200);
    const from = new Date(Date.now() - 3 * 3600_000);
    const to = new Date(Date.now() + 3600_000);
    const rows = (await until(async () => {
      const r = await crashFreeRate(t.runtime.deps.database.sql, { projectId: shop.id, from, to });
      return r.find((x) => x.release === release && x.started === 10) ? r : null;
    }, "release health for shop@3.0.0"))!;
    expect(rows.find((x) => x.release === release)).toEqual({ release, started: 10, errored: 3, crashed: 2, abnormal: 0, crashFreeRate: 0.8 });
    expect(await crashFreeRate(t.runtime.deps.database.sql, { site: "shop.example.com", from, to })).toEqual(rows);
    const dump = await dumpAllTables(t.sql);
    for (const m of [PII.sid, PII.did, "PII-UA-MARKER", "second"]) expect(dump).not.toContain(m);
  });

  test("feedback and user_report items land as feedback linked to the crash's group", async () => {
    const id = "0123456789abcdef0123456789abcdef";
    const crash = await send(
      envelopePath(shop),
      envelope({ event_id: id }, [{ header: { type: "event" }, payload: { event_id: id, exception: { values: [{ type: "CheckoutError", value: "card declined" }] } } }]),
    );
    expect(crash.status).toBe(200);
    const fb = await send(
      envelopePath(shop),
      envelope({ event_id: "fe".repeat(16) }, [
        {
          header: { type: "feedback" },
          payload: {
            event_id: "fe".repeat(16),
            type: "feedback",
            user: { email: PII.email },
            contexts: {
              feedback: {
                message: "Payment failed twice",
                contact_email: "typed@example.org",
                name: "Dana K",
                url: "https://shop.example.com/cart?token=x",
                associated_event_id: id,
              },
            },
          },
        },
        { header: { type: "user_report" }, payload: { event_id: id, name: "Dana K", email: "typed2@example.org", comments: "Still broken" } },
      ]),
    );
    expect(fb.status).toBe(200);
    expect(await fb.json()).toEqual({ id: "fe".repeat(16) });
    await until(
      async () => (await t.sql`select 1 from feedback where associated_event_id = ${id}`).length === 2 && (await t.sql`select 1 from crashes where event_id = ${id}`).length === 1,
      "feedback rows and the crash",
    );
    const [{ group_id }] = (await t.sql`select group_id from crashes where event_id = ${id}`) as unknown as [{ group_id: string }];
    const linked = await feedbackForGroup(t.runtime.deps.database.sql, group_id);
    expect(linked.map((f) => [f.message, f.email, f.url, f.category, f.status]).sort()).toEqual([
      ["Payment failed twice", "typed@example.org", "https://shop.example.com/cart", "bug", "open"],
      ["Still broken", "typed2@example.org", null, "bug", "open"],
    ]);
    expect(await dumpAllTables(t.sql)).not.toContain("Dana K");
  });

  test("discarded item types get 200 and are counted by type", async () => {
    const r = await send(
      envelopePath(shop),
      envelope({}, [
        { header: { type: "client_report" }, payload: { timestamp: 1, discarded_events: [{ reason: "before_send", category: "error", quantity: 1 }] } },
        { header: { type: "transaction" }, payload: { type: "transaction" } },
        { header: { type: "span" }, payload: {} },
        { header: { type: "profile" }, payload: {} },
        { header: { type: "replay_event" }, payload: {} },
        { header: { type: "replay_recording", length: 3 }, payload: "abc" },
        { header: { type: "log" }, payload: {} },
        { header: { type: "check_in" }, payload: {} },
        { header: { type: "attachment", length: 5, filename: "dump.dmp" }, payload: "\u0000\u0001\u0002\u0003\u0004" },
        { header: { type: "brand_new_type" }, payload: {} },
      ]),
    );
    expect(r.status).toBe(200);
    expect((await r.json()).id).toMatch(/^[0-9a-f]{32}$/);
    const metrics = await t.runtime.deps.metrics.registry.getSingleMetricAsString("analytics_sentry_items_total");
    for (const type of ["client_report", "transaction", "span", "profile", "replay_event", "replay_recording", "log", "check_in", "attachment", "unknown"]) {
      expect(metrics).toMatch(new RegExp(`analytics_sentry_items_total\\{type="${type}",outcome="discarded"\\} [1-9]`));
    }
  });
});

describe("hostile envelopes get 4xx, never 5xx, and store nothing", () => {
  const big = "x".repeat(1024 * 1024 + 10);
  const cases: [string, () => BodyInit, Record<string, string>?][] = [
    ["truncated", () => '{}\n{"type":"event","length":400}\n{"message":"hostile-truncated"}', {}],
    ["wrong length", () => '{}\n{"type":"event","length":5}\n{"message":"hostile-length"}\n', {}],
    ["huge item", () => `{}\n{"type":"event"}\n{"message":"hostile-huge","x":"${big}"}\n`, {}],
    ["gzip bomb", () => new Uint8Array(zlib.gzipSync(Buffer.alloc(200 * 1024 * 1024))), { "content-encoding": "gzip" }],
    ["10,000 items", () => "{}\n" + '{"type":"event"}\n{"message":"hostile-many"}\n'.repeat(10_000), {}],
    [
      "invalid JSON in one item",
      () =>
        envelope({}, [
          { header: { type: "event" }, payload: { message: "hostile-valid-sibling" } },
          { header: { type: "event" }, payload: '{"message": "hostile-broken",' },
        ]),
      {},
    ],
    ["not an envelope", () => "hello world", {}],
    ["empty", () => "", {}],
    ["binary garbage", () => new Uint8Array([0xff, 0xfe, 0x00, 0x7b, 0x0a]), {}],
    ["corrupt gzip", () => new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]), { "content-encoding": "gzip" }],
    ["item header not JSON", () => '{}\n{type: event}\n{"message":"hostile-header"}\n', {}],
    ["event payload is an array", () => '{}\n{"type":"event"}\n[1,2,3]\n', {}],
    ["deep nesting", () => `{}\n{"type":"event"}\n${"[".repeat(100_000)}${"]".repeat(100_000)}\n`, {}],
  ];
  test.each(cases)("%s", async (_name, body, headers) => {
    const before = await counts(t.sql, ["event_log"]);
    const r = await send(envelopePath(shop), body(), headers ?? {});
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    const json = await r.json();
    expect(json.error.code).toBeString();
    expect(json.detail).toBeString();
    expect(await counts(t.sql, ["event_log"])).toEqual(before);
  });
});

describe("abuse limits", () => {
  test("429 with Retry-After and X-Sentry-Rate-Limits", async () => {
    const limited = await startTestApp({ env: { RATE_LIMIT_RPS: "1", RATE_LIMIT_BURST: "2" } });
    try {
      const p = await makeProject(limited, "Limited");
      const statuses: number[] = [];
      let last: Response | null = null;
      for (let i = 0; i < 4; i++) {
        last = await limited.app.handle(
          new Request(`http://localhost/api/${p.id}/envelope/?sentry_key=${p.key}`, {
            method: "POST",
            body: envelope({}, [{ header: { type: "client_report" }, payload: {} }]),
            headers: { "x-forwarded-for": "192.0.2.9" },
          }),
        );
        statuses.push(last.status);
      }
      expect(statuses.slice(0, 2)).toEqual([200, 200]);
      expect(statuses.at(-1)).toBe(429);
      expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(last!.headers.get("x-sentry-rate-limits")).toMatch(/^\d+::key$/);
      expect(last!.headers.get("access-control-allow-origin")).toBe("*");
    } finally {
      await limited.stop();
    }
  });
});

describe("docs and CORS settings", () => {
  test("/swagger documents the Sentry and feedback endpoints; CORS_ORIGINS does not narrow the Sentry ones", async () => {
    const narrow = await startTestApp({ env: { CORS_ORIGINS: "https://a.example" } });
    try {
      const paths = Object.keys((await (await narrow.app.handle(new Request("http://localhost/swagger/json"))).json()).paths);
      for (const p of ["/api/feedback", "/api/{projectId}/envelope/", "/api/{projectId}/store/"]) expect(paths).toContain(p);
      const pre = await narrow.app.handle(
        new Request("http://localhost/api/1/envelope/", { method: "OPTIONS", headers: { origin: "https://b.example", "access-control-request-method": "POST" } }),
      );
      expect(pre.headers.get("access-control-allow-origin")).toBe("*");
      const other = await narrow.app.handle(new Request("http://localhost/api/crash", { method: "OPTIONS", headers: { origin: "https://b.example" } }));
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await narrow.stop();
    }
  });
});

describe("an unreachable store", () => {
  test("503 with Retry-After, in Sentry's error shape", async () => {
    const down = await startTestApp();
    try {
      const p = await makeProject(down, "Down");
      await down.runtime.deps.database.close(); // the pool is gone: every query fails as a connection error
      const r = await down.app.handle(
        new Request(`http://localhost/api/${p.id}/envelope/?sentry_key=${p.key}`, {
          method: "POST",
          body: envelope({}, [{ header: { type: "event" }, payload: { message: "while down" } }]),
        }),
      );
      expect(r.status).toBe(503);
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await r.json()).toMatchObject({ error: { code: "unavailable" } });
    } finally {
      await down.stop();
    }
  });
});

describe("a stack sent only as text", () => {
  test("a logged Python traceback in a message event is parsed into frames by the stack parsers", async () => {
    const tb =
      'Traceback (most recent call last):\n  File "/srv/app/views.py", line 12, in handler\n    return divide(1, 0)\n  File "/srv/app/maths.py", line 3, in divide\n    return a / b\nZeroDivisionError: division by zero';
    const r = await send(
      envelopePath(shop),
      envelope({ event_id: "7e".repeat(16) }, [{ header: { type: "event" }, payload: { platform: "python", level: "error", logentry: { formatted: tb } } }]),
    );
    expect(r.status).toBe(200);
    const row = (await until(async () => (await t.sql`select error_type, message, frames from crashes where event_id = ${"7e".repeat(16)}`)[0], "the crash"))!;
    expect([row.error_type, row.message]).toEqual(["ZeroDivisionError", "division by zero"]);
    expect(row.frames.map((f: { function: string }) => f.function)).toEqual(["divide", "handler"]);
  });
});
