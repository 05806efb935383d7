import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "../support/app.ts";
import { countRows } from "../support/count-rows.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ delivery: false, env: { MAX_BODY_BYTES: "4096" } });
});
afterAll(() => t.stop());

async function expectError(res: Response, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/json");
  const body = await res.json();
  expect(typeof body.error.code).toBe("string");
  expect(typeof body.error.message).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(5);
  if (code) expect(body.error.code).toBe(code);
  return body.error as { code: string; message: string };
}

const logCount = () => countRows(t.sql, "event_log");

const raw = (path: string, body: string | Uint8Array, contentType = "application/json") =>
  t.app.handle(
    new Request(`http://localhost${path}`, { method: "POST", headers: { "content-type": contentType, "user-agent": "Mozilla/5.0 Chrome/131.0" }, body: body as BodyInit }),
  );

describe("bad input gets a clear 4xx JSON error and writes nothing", () => {
  const cases: [string, () => Promise<Response>, number, string?][] = [
    ["invalid JSON", () => raw("/api/pageview", '{"pathname": "/a",'), 400, "invalid_json"],
    ["empty body", () => raw("/api/pageview", ""), 400, "empty_body"],
    ["invalid UTF-8", () => raw("/api/pageview", new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 400, "invalid_encoding"],
    ["non-object JSON (array)", () => raw("/api/pageview", "[1,2,3]"), 422, "invalid_body"],
    ["non-object JSON (string)", () => raw("/api/event", '"hello"'), 422, "invalid_body"],
    ["non-object JSON (null)", () => raw("/api/crash", "null"), 422, "invalid_body"],
    ["missing pathname", () => t.post("/api/pageview", { site: "example.com" }), 422, "invalid_body"],
    ["wrong type", () => t.post("/api/pageview", { pathname: 42, site: "example.com" }), 422, "invalid_body"],
    ["missing eventName", () => t.post("/api/event", { pathname: "/", site: "example.com" }), 422, "invalid_body"],
    ["nested custom property", () => t.post("/api/event", { eventName: "x", site: "example.com", customProperties: { a: { b: 1 } } }), 422, "invalid_body"],
    [
      "too many custom properties",
      () => t.post("/api/event", { eventName: "x", site: "example.com", customProperties: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i])) }),
      422,
      "invalid_body",
    ],
    ["missing errorType", () => t.post("/api/crash", { message: "boom", site: "example.com" }), 422, "invalid_body"],
    ["bad severity", () => t.post("/api/crash", { errorType: "E", message: "m", severity: "catastrophic", site: "example.com" }), 422, "invalid_body"],
    ["overlong pathname", () => t.post("/api/pageview", { pathname: "/" + "a".repeat(3000), site: "example.com" }), 422, "invalid_body"],
    ["overlong event name", () => t.post("/api/event", { eventName: "e".repeat(500), site: "example.com" }), 422, "invalid_body"],
    ["body over the size limit", () => t.post("/api/pageview", { pathname: "/", site: "example.com", title: "t".repeat(5000) }), 413, "payload_too_large"],
    ["wrong content type", () => raw("/api/pageview", "pathname=/a", "application/x-www-form-urlencoded"), 415, "unsupported_media_type"],
    ["no site anywhere", () => t.post("/api/pageview", { pathname: "/" }), 422, "missing_site"],
  ];
  for (const [name, send, status, code] of cases) {
    test(name, async () => {
      const before = await logCount();
      await expectError(await send(), status, code);
      expect(await logCount()).toBe(before);
    });
  }

  test("a body over the limit without Content-Length (streamed) is cut off with 413", async () => {
    const chunk = new TextEncoder().encode('{"pathname":"/' + "a".repeat(1000));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent++ < 1000) c.enqueue(chunk);
        else c.close();
      },
    });
    const res = await t.app.handle(new Request("http://localhost/api/pageview", { method: "POST", headers: { "content-type": "application/json" }, body: stream }));
    await expectError(res, 413, "payload_too_large");
    expect(sent).toBeLessThan(20); // stopped reading near the limit, not after 1 MB
  });

  test("unknown routes get a JSON 404", async () => {
    await expectError(await t.app.handle(new Request("http://localhost/api/nope", { method: "POST" })), 404, "not_found");
  });

  test("validation messages name the field", async () => {
    const err = await expectError(await t.post("/api/pageview", { pathname: 42, site: "example.com" }), 422);
    expect(err.message).toContain("pathname");
  });
});
