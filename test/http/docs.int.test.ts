/**
 * /swagger is served entirely by the app (no CDN), and its OpenAPI document lists the error
 * answers a client can get, derived from the one list in src/errors.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ERROR_CODES } from "../../src/errors.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

let t: TestApp;
let spec: OpenApi;
beforeAll(async () => {
  t = await startTestApp({ delivery: false });
  spec = await (await get("/swagger/json")).json();
});
afterAll(() => t.stop());

const ORIGIN = "http://127.0.0.1:3000";
const get = (path: string, headers: Record<string, string> = {}) => t.app.handle(new Request(new URL(path, ORIGIN), { headers }));

interface OpenApi {
  info: { description: string };
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: object; anyOf?: object[] } }> }; responses: Record<string, Response_> }>>;
}
interface Response_ {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema: { properties?: { error?: { properties: { code: { const?: string; enum?: string[] } } } } } }>;
}

/** The error codes a documented response of `path`/`method` says it can carry with `status`. */
function documentedCodes(path: string, method: string, status: number): string[] {
  const code = spec.paths[path]?.[method]?.responses[String(status)]?.content?.["application/json"]?.schema.properties?.error?.properties.code;
  return code?.enum ?? (code?.const ? [code.const] : []);
}

describe("/swagger works offline", () => {
  test("the page references only scripts and styles that this app serves with 200", async () => {
    const res = await get("/swagger");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    // The browser is told never to load anything from elsewhere.
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await res.text();
    const refs = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(3); // stylesheet, bundle, initialiser
    expect(html).not.toMatch(/<script>(?!<)/); // no inline script (the CSP would block it)
    for (const ref of refs) {
      const url = new URL(ref, ORIGIN);
      expect(url.origin).toBe(ORIGIN); // same origin: no CDN
      const asset = await get(url.pathname);
      expect({ ref, status: asset.status }).toEqual({ ref, status: 200 });
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
    const init = await (await get("/swagger/init.js")).text();
    expect(init).toContain('"/swagger/json"');
    expect(init).toContain("validatorUrl: null"); // Swagger UI would otherwise call a public validator
  });

  test("assets revalidate with 304 and unknown names are a JSON 404", async () => {
    const first = await get("/swagger/assets/swagger-ui.css");
    const etag = first.headers.get("etag")!;
    expect(etag).toContain("swagger-ui-5.");
    expect((await get("/swagger/assets/swagger-ui.css", { "if-none-match": etag })).status).toBe(304);
    const missing = await get("/swagger/assets/package.json");
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe("not_found");
  });
});

describe("the OpenAPI document lists every error answer", () => {
  test("request bodies are documented as JSON and text/plain", () => {
    for (const path of ["/api/pageview", "/api/event", "/api/crash", "/api/transformer"]) {
      const content = spec.paths[path]!.post!.requestBody!.content;
      expect(Object.keys(content).sort()).toEqual(["application/json", "text/plain"]);
      // /api/event takes our body or Plausible's: its schema is the union of the two.
      expect(content["application/json"]!.schema.properties ?? content["application/json"]!.schema.anyOf).toBeDefined();
    }
    expect(JSON.stringify(spec.paths["/api/pageview"]!.post!.requestBody)).toContain("pathname");
  });

  test("ingest: 400, 413, 415, 422, 429 and 503 with their codes and Retry-After", () => {
    for (const path of ["/api/pageview", "/api/event", "/api/crash"]) {
      expect(documentedCodes(path, "post", 400).sort()).toEqual(["empty_body", "invalid_encoding", "invalid_json"]);
      expect(documentedCodes(path, "post", 413)).toEqual(["payload_too_large"]);
      expect(documentedCodes(path, "post", 415)).toEqual(["unsupported_media_type"]);
      expect(documentedCodes(path, "post", 422).sort()).toEqual(["invalid_body", "missing_site", "no_events", "too_deep"]);
      expect(documentedCodes(path, "post", 429)).toEqual(["rate_limited"]);
      expect(documentedCodes(path, "post", 503).sort()).toEqual(["overloaded", "unavailable"]);
      expect(spec.paths[path]!.post!.responses["429"]!.headers).toHaveProperty("retry-after");
      expect(spec.paths[path]!.post!.responses["202"]).toBeDefined();
    }
  });

  test("/healthz documents 503, /metrics 401, /api/transformer 401 and 404", () => {
    expect(spec.paths["/healthz"]!.get!.responses["503"]!.description).toContain("down");
    expect(documentedCodes("/metrics", "get", 401)).toEqual(["unauthorized"]);
    expect(documentedCodes("/api/transformer", "post", 401)).toEqual(["unauthorized"]);
    expect(documentedCodes("/api/transformer", "post", 404)).toEqual(["transformer_disabled"]);
    expect(documentedCodes("/api/transformer", "post", 422).sort()).toEqual(["invalid_body", "invalid_payload", "too_deep", "unknown_event_type"]);
  });

  test("every code of src/errors.ts is in the document, with its status", () => {
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      expect(spec.info.description).toContain(`| \`${code}\` | ${status} |`);
    }
  });

  test("what the document says an ingest error looks like is what the app answers", async () => {
    const res = await t.post("/api/pageview", { site: "example.com" }); // no pathname
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(documentedCodes("/api/pageview", "post", 422)).toContain(body.error.code);
  });
});
