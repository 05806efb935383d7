import { describe, expect, test } from "bun:test";
import zlib from "node:zlib";
import type { AppError } from "../../src/errors.ts";
import { parseItemJson } from "../../src/ingest/adapters/sentry/envelope.ts";
import { storeBodyToEnvelope } from "../../src/ingest/adapters/sentry/store-body.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const fail = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error("expected a rejection");
};

describe("legacy /store/ bodies", () => {
  test("a JSON event, or base64 of a deflated one (old raven clients)", () => {
    const event = { event_id: "ab".repeat(16), message: "legacy" };
    expect(parseItemJson(storeBodyToEnvelope(enc(JSON.stringify(event)), { itemBytes: 1024 }).items[0]!, 0)).toEqual(event);
    const b64 = zlib.deflateSync(Buffer.from(JSON.stringify(event))).toString("base64");
    expect(parseItemJson(storeBodyToEnvelope(enc(b64), { itemBytes: 1024 }).items[0]!, 0)).toEqual(event);
  });

  test("oversized, empty and undecodable bodies are 4xx", () => {
    expect(fail(() => storeBodyToEnvelope(enc(JSON.stringify({ x: "y".repeat(2000) })), { itemBytes: 1024 })).status).toBe(413);
    const bomb = zlib.deflateSync(Buffer.alloc(50 * 1024 * 1024)).toString("base64");
    expect(fail(() => storeBodyToEnvelope(enc(bomb), { itemBytes: 1024 })).status).toBe(413);
    expect(fail(() => storeBodyToEnvelope(enc("  \n"), { itemBytes: 1024 })).status).toBe(400);
    expect(fail(() => storeBodyToEnvelope(enc("not base64!"), { itemBytes: 1024 })).status).toBe(400);
    expect(fail(() => storeBodyToEnvelope(enc("aGVsbG8="), { itemBytes: 1024 })).code).toBe("invalid_encoding");
  });
});
