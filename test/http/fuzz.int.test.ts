import { afterAll, beforeAll, expect, test } from "bun:test";
import { connect } from "node:net";
import { CHROME_UA, startTestApp, type TestApp } from "../support/app.ts";
import { countRows } from "../support/count-rows.ts";
import { until } from "../support/wait.ts";

/**
 * Thousands of generated hostile requests against every endpoint. Deterministic (seeded PRNG):
 * a failure reproduces with the same FUZZ_SEED. Asserts: never a 5xx, errors are JSON, the
 * process stays healthy, and only accepted (202) requests ever reach the event log.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261121);
const COUNT = Number(process.env.FUZZ_COUNT ?? 3000);
const SECRET = "fuzz-transformer-secret";

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let t: TestApp;
let server: ReturnType<TestApp["app"]["listen"]> | null = null;
beforeAll(async () => {
  t = await startTestApp({ env: { FLOWCORE_TRANSFORMER_SECRET: SECRET, MAX_BODY_BYTES: "16384" } });
});
afterAll(async () => {
  await server?.stop();
  await t.stop();
});

const rnd = prng(SEED);
const int = (n: number) => Math.floor(rnd() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
const str = (n: number) => Array.from({ length: n }, () => String.fromCharCode(pick([int(128), 0xd800 + int(0x800), 0x1f600, 0, 10, 34, 92, int(0xffff)]))).join("");

const valid: Record<string, () => Record<string, unknown>> = {
  "/api/pageview": () => ({
    pathname: "/p/" + int(1000),
    site: "fuzz.example",
    referrer: pick(["", "https://google.com/?q=1", "not a url", null]),
    url: pick(["https://fuzz.example/a?utm_source=x", "javascript:alert(1)", "%%%"]),
  }),
  "/api/event": () => ({ eventName: "e" + int(50), pathname: "/", site: "fuzz.example", customProperties: { a: int(10), b: "x", c: rnd() > 0.5 } }),
  "/api/crash": () => ({
    errorType: "TypeError",
    message: str(int(300)),
    stack: str(int(2000)),
    site: "fuzz.example",
    stackTrace: rnd() > 0.5 ? [{ file: str(20), line: int(1e6), column: int(100), function: str(10) }] : undefined,
  }),
  // Other trackers' and the seeds' formats (src/ingest/adapters/).
  "/api/vitals": () => ({ pathname: "/v", site: "fuzz.example", lcp: pick([1200, -1, 1e9, "x"]), cls: pick([0.1, 101, null]) }),
  "/api/event#plausible": () => ({
    n: pick(["pageview", "engagement", "Signup", ""]),
    u: pick(["https://fuzz.example/a#/b", "nope", str(20)]),
    d: pick(["fuzz.example", "a.example,b.example", ",,", str(10)]),
    r: pick([null, "x"]),
    p: pick([{ a: 1 }, "{bad", '{"k":"v"}', [1], null]),
    $: pick([undefined, { amount: "x", currency: "US" }, '{"amount":1,"currency":"EUR"}']),
    h: pick([1, 0, "x"]),
  }),
  "/api/send": () => ({
    type: pick(["event", "performance", "identify", "x"]),
    payload: {
      hostname: pick(["fuzz.example", "", str(10)]),
      url: pick(["/a?b=%E0%A4%A", "%%", "https://fuzz.example/x"]),
      title: pick(["%E0%A4%A", "ok"]),
      name: pick([undefined, "click", ""]),
      data: pick([{ a: { b: { c: [1] } } }, "x", undefined]),
      lcp: pick([1, -5, 1e9]),
    },
  }),
  "/api/batch": () => [{ type: "event", payload: { hostname: "fuzz.example", url: "/" } }, pick([{}, { type: "event", payload: { hostname: "fuzz.example" } }, "x"])] as never,
  "/report": () => ({
    app_name: pick(["fuzz-app", "", "bad name!", str(10)]),
    error_message: pick(["ValueError: x", "", str(50)]),
    stack_trace: pick(['Traceback (most recent call last):\n  File "a.py", line 1, in <module>\nValueError: x', str(500)]),
    hardware_specs: pick([{ cpu: { cores: 4 } }, "x", { a: { b: { c: { d: 1 } } } }]),
    user_id: "u",
  }),
  "/event": () => ({
    visitor_id: "v",
    session_id: "s",
    pageview_id: "p",
    event_type: pick(["pageview", "webvitals", "click", ""]),
    path: pick(["/", str(10), null]),
    payload: pick([{ LCP: 10 }, { LCP: "x" }, "x", { k: { deep: [1] } }]),
  }),
  "/sdk/fuzz-app/crashes": () => ({
    errorType: pick(["TypeError", ""]),
    errorMessage: str(20),
    stackTrace: pick([[{ file: "a.ts", line: 1 }], "x", [{ line: "x" }]]),
    appVersion: "1",
    platform: "macos",
    deviceInfo: { model: "x", id: "y" },
    userId: "u",
  }),
  "/sdk/fuzz-app/feedback": () => ({
    category: pick(["bug", "feature", "rant", ""]),
    message: pick([str(30), "", "   "]),
    email: pick([undefined, "a@b.example", "nope", str(10)]),
    appVersion: pick(["1", 2, null]),
    deviceInfo: pick([{ model: "x", serial: "y" }, "x", [1]]),
    attachments: pick([undefined, [{ data: str(50), filename: "a", mimeType: "b" }], "x"]),
  }),
  "/collect": () => ({
    performance: pick([{ timing: { navigationStart: 1, responseStart: 5, loadEventEnd: int(1e6) } }, "x", { LCP: -1 }]),
    errors: pick([[{ message: str(30), filename: str(10), lineno: "x" }], "x", [{}], [null]]),
    fingerprints: { canvas: str(100) },
  }),
};
/** Paths answered in a foreign protocol (not 202) and which may store several events or none. */
const FOREIGN = new Set(["/api/event#plausible", "/api/send", "/api/batch", "/report", "/event", "/collect", "/sdk/fuzz-app/crashes", "/sdk/fuzz-app/feedback"]);
const paths = [...Object.keys(valid), "/api/transformer", "/healthz", "/metrics", "/snippet.js", "/swagger", "/api/" + "x".repeat(5000), "/%ff%fe", "/api/pageview/../event"];
const contentTypes = [
  "application/json",
  "text/plain",
  "text/plain;charset=UTF-8",
  "",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/json; charset=utf-16",
  "image/png",
  "a".repeat(3000),
];

function mutate(body: Record<string, unknown>): string | Uint8Array {
  switch (int(14)) {
    case 0:
      return bytes(int(2000));
    case 1:
      return new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]); // invalid UTF-8
    case 2:
      return JSON.stringify(body).slice(0, int(40));
    case 3:
      return JSON.stringify({ ...body, pathname: 1e400 }).replace("null", "1e400");
    case 4:
      return "[".repeat(int(20000)) + "]".repeat(int(20000));
    case 5:
      return JSON.stringify({ ...body, customProperties: { big: 1e308, neg: -1e308, n: Number.MAX_SAFE_INTEGER * 10 } }).replace('"big":1e+308', '"big":1e999');
    case 6:
      return JSON.stringify({ ...body, pathname: "/" + "a".repeat(int(40000)) });
    case 7:
      return JSON.stringify({ ...body, __proto__: { admin: true }, constructor: { prototype: { x: 1 } } });
    case 8:
      return JSON.stringify(pick([null, 0, "x", [], true, [body]]));
    case 9:
      return JSON.stringify({ ...body, customProperties: Object.fromEntries(Array.from({ length: int(100) }, (_, i) => [str(int(80)) + i, str(int(600))])) });
    case 10:
      return JSON.stringify({ ...body, site: pick(["", " ", "*", "a..b", "ex ample.com", "[::1]", "x".repeat(300), "http://[bad"]) });
    case 11:
      return JSON.stringify({ eventId: str(10), eventType: pick(["pageview.tracked.v0", "x"]), flowType: "pageview.v0", payload: body });
    case 12:
      return JSON.stringify({ ...body, extra: str(int(100)), breadcrumbs: Array.from({ length: int(300) }, () => ({ m: str(5) })) });
    default:
      return JSON.stringify(body);
  }
}

test(`fuzz: ${COUNT} hostile requests (seed ${SEED}) → no 5xx, JSON errors, only 202s logged`, async () => {
  let accepted = 0;
  let foreignAccepted = 0;
  let logged = 0;
  const statuses = new Map<number, number>();
  for (let i = 0; i < COUNT; i++) {
    const key = rnd() < 0.75 ? pick(Object.keys(valid)) : pick(paths);
    const path = key.replace(/#.*$/, "");
    const method = rnd() < 0.85 ? "POST" : pick(["GET", "PUT", "OPTIONS", "DELETE", "PATCH"]);
    const base = (valid[key] ?? valid["/api/pageview"]!)();
    const body = mutate(base);
    const headers: Record<string, string> = {
      "content-type": rnd() < 0.7 ? "application/json" : pick(contentTypes),
      "user-agent": pick([CHROME_UA, "", "curl/8", str(int(20000)), "Mozilla/5.0 " + "(".repeat(5000)]),
      "x-forwarded-for": pick(["203.0.113.1", "", "::1", "not-an-ip", "1.1.1.1, 2.2.2.2", str(300)]).replace(/[\r\n\0]/g, ""),
    };
    if (rnd() < 0.3) headers.origin = pick(["https://fuzz.example", "null", str(50).replace(/[\r\n\0]/g, ""), "http://"]);
    if (path === "/api/transformer") headers["x-secret"] = rnd() < 0.5 ? SECRET : str(int(40)).replace(/[\r\n\0]/g, "");
    for (const [k, v] of Object.entries(headers)) headers[k] = v.replace(/[^\t\x20-\x7e\x80-\xff]/g, "?"); // header values are byte strings
    let res: Response;
    try {
      res = await t.app.handle(new Request(`http://localhost${path}`, { method, headers, body: method === "GET" || method === "OPTIONS" ? undefined : (body as BodyInit) }));
    } catch (e) {
      throw new Error(`request ${i} (${method} ${path}) threw: ${(e as Error).message}`);
    }
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (FOREIGN.has(key)) {
      // Foreign formats: a 4xx stored nothing; whatever a 2xx stored counts as accepted.
      const now = await countRows(t.sql, "event_log");
      if (res.status >= 400) expect(now).toBe(logged);
      else foreignAccepted += now - logged;
      logged = now;
    } else if (res.status === 202) logged++;
    if (res.status >= 500)
      throw new Error(`request ${i} (${method} ${path}) → ${res.status}: ${await res.text()}\n${t.logs.filter((l) => l.includes('"level":"error"')).slice(-1)}`);
    if (res.status >= 400) {
      const text = await res.text();
      const parsed = JSON.parse(text);
      expect(typeof parsed.error.code).toBe("string");
    } else if (res.status === 202 && !FOREIGN.has(key)) {
      accepted++;
      await res.arrayBuffer();
    } else await res.arrayBuffer();
  }
  console.log(`[fuzz] statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
  expect(accepted).toBeGreaterThan(10);
  expect(foreignAccepted).toBeGreaterThan(5);
  accepted += foreignAccepted;

  // Only accepted requests reached the event log, and every one of them is projectable.
  const [{ n }] = (await t.sql`select count(*)::int as n from event_log`) as unknown as [{ n: number }];
  expect(n).toBe(accepted);
  const projected = async () => {
    const [r] =
      await t.sql`select (select count(*) from pageviews) + (select count(*) from custom_events) + (select count(*) from crashes) + (select count(*) from web_vitals) + (select count(*) from feedback) as n`;
    return Number(r!.n);
  };
  await until(async () => (await projected()) >= accepted, "every accepted event projected", 20_000);
  expect(await projected()).toBe(accepted);
  const metrics = await (await t.app.handle(new Request("http://localhost/metrics"))).text();
  expect(metrics).not.toMatch(/analytics_projection_errors_total\{[^}]*\} [1-9]/);
  expect((await t.app.handle(new Request("http://localhost/healthz"))).status).toBe(200);
}, 120_000);

test("fuzz: raw garbage on the socket never takes the server down", async () => {
  server = t.app.listen({ port: 0, hostname: "127.0.0.1" });
  const port = server.server!.port!;
  const send = (data: Uint8Array | string) =>
    new Promise<void>((done) => {
      const s = connect({ host: "127.0.0.1", port }, () => {
        s.write(data);
        s.end();
      });
      s.on("error", () => done());
      s.on("close", () => done());
      s.resume();
    });
  const payloads: (Uint8Array | string)[] = [
    ...Array.from({ length: 60 }, () => bytes(int(4000))),
    "POST /api/pageview HTTP/1.1\r\nHost: x\r\nContent-Length: 999999\r\n\r\n{",
    "POST /api/pageview HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    `GET /${"a".repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    `GET / HTTP/1.1\r\nHost: x\r\nX-Long: ${"b".repeat(200_000)}\r\n\r\n`,
  ];
  await Promise.all(payloads.map(send));
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(health.status).toBe(200);
  const ok = await fetch(`http://127.0.0.1:${port}/api/pageview`, {
    method: "POST",
    headers: { "content-type": "text/plain", "user-agent": CHROME_UA, "x-forwarded-for": "203.0.113.2" },
    body: JSON.stringify({ site: "fuzz.example", pathname: "/after" }),
  });
  expect(ok.status).toBe(202);
}, 60_000);
