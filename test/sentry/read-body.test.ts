import { describe, expect, test } from "bun:test";
import zlib from "node:zlib";
import type { AppError } from "../../src/errors.ts";
import { readSentryBody } from "../../src/ingest/adapters/sentry/read-body.ts";

const limits = { bodyBytes: 64 * 1024, decompressedBytes: 256 * 1024 };
const req = (body: BodyInit, headers: Record<string, string> = {}) => new Request("http://x/api/1/envelope/", { method: "POST", body, headers });
const chunked = (bytes: Uint8Array, size = 1000) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.byteLength; i += size) c.enqueue(bytes.subarray(i, i + size));
      c.close();
    },
  });
const rejection = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error("expected a rejection");
};

describe("readSentryBody", () => {
  const text = '{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc"}\n{"type":"event"}\n{"message":"hello"}\n';
  const plain = new TextEncoder().encode(text);

  test.each([
    ["none", (b: Uint8Array) => b, {}],
    ["gzip", (b: Uint8Array) => zlib.gzipSync(b), { "content-encoding": "gzip" }],
    ["deflate", (b: Uint8Array) => zlib.deflateSync(b), { "content-encoding": "deflate" }],
    ["br", (b: Uint8Array) => zlib.brotliCompressSync(b), { "content-encoding": "br" }],
  ] as const)("%s, whole or chunked, any content type", async (_name, encode, headers) => {
    const body = new Uint8Array(encode(plain));
    for (const type of [undefined, "text/plain;charset=UTF-8", "application/x-sentry-envelope"]) {
      const h = { ...headers, ...(type ? { "content-type": type } : {}) };
      expect(new TextDecoder().decode(await readSentryBody(req(body, h), limits))).toBe(text);
      expect(new TextDecoder().decode(await readSentryBody(req(chunked(body), h), limits))).toBe(text);
    }
  });

  test("a body over the wire cap is 413, declared or streamed", async () => {
    const big = new Uint8Array(limits.bodyBytes + 1);
    expect((await rejection(readSentryBody(req(big), limits))).status).toBe(413);
    expect((await rejection(readSentryBody(req(chunked(big, 4096)), limits))).status).toBe(413);
  });

  test("a gzip bomb is stopped at the decompressed cap without inflating it", async () => {
    // Concatenated gzip members are one valid stream: 32 × 64 MB of zeros = 2 GB from ~2 MB.
    const member = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 32 }, () => member));
    const t0 = performance.now();
    const e = await rejection(readSentryBody(req(new Uint8Array(bomb), { "content-encoding": "gzip" }), { bodyBytes: 4 * 1024 * 1024, decompressedBytes: 1024 * 1024 }));
    expect([e.status, e.code]).toEqual([413, "payload_too_large"]);
    expect(e.message).toContain("decompressed");
    // Inflating 2 GB takes several seconds; stopping after 1 MB takes milliseconds.
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  test("corrupt compressed data is 400, an unknown encoding 415", async () => {
    const e = await rejection(readSentryBody(req(new Uint8Array([1, 2, 3, 4]), { "content-encoding": "gzip" }), limits));
    expect([e.status, e.code]).toEqual([400, "invalid_encoding"]);
    const truncated = zlib.gzipSync(plain).subarray(0, 20);
    expect((await rejection(readSentryBody(req(new Uint8Array(truncated), { "content-encoding": "gzip" }), limits))).status).toBe(400);
    expect((await rejection(readSentryBody(req(plain, { "content-encoding": "zstd" }), limits))).status).toBe(415);
  });
});
