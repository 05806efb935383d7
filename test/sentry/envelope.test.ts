import { describe, expect, test } from "bun:test";
import { AppError } from "../../src/errors.ts";
import { parseEnvelope, parseItemJson } from "../../src/ingest/adapters/sentry/envelope.ts";
import { SENTRY_LIMITS } from "../../src/ingest/adapters/sentry/limits.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const parse = (s: string | Uint8Array) => parseEnvelope(typeof s === "string" ? enc(s) : s, SENTRY_LIMITS);
const failure = (s: string | Uint8Array) => {
  try {
    parse(s);
  } catch (e) {
    return e as AppError;
  }
  throw new Error("expected the envelope to be rejected");
};

describe("parseEnvelope", () => {
  test("items with and without length, binary payloads, trailing newline optional", () => {
    const att = "\n\nbinary\nwith newlines";
    const body = `{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc"}\n{"type":"attachment","length":${att.length}}\n${att}\n{"type":"event"}\n{"message":"hi"}\n{"type":"session","length":9}\n{"sid":1}\n`;
    const env = parse(body);
    expect(env.header.event_id).toBe("9ec79c33ec9942ab8353589fcb2e04dc");
    expect(env.items.map((i) => i.type)).toEqual(["attachment", "event", "session"]);
    expect(new TextDecoder().decode(env.items[0]!.payload)).toBe(att);
    expect(parseItemJson(env.items[1]!, 1)).toEqual({ message: "hi" });
    expect(parse(body.slice(0, -1)).items).toHaveLength(3);
  });

  test("a header-only envelope and a length-0 item are fine", () => {
    expect(parse("{}").items).toEqual([]);
    expect(parse('{}\n{"type":"attachment","length":0}\n').items[0]!.payload.byteLength).toBe(0);
  });

  test("framing errors reject the whole envelope with a 4xx naming the item", () => {
    expect(failure("").status).toBe(400);
    expect(failure("not json\n").code).toBe("invalid_header");
    expect(failure("[1]\n").code).toBe("invalid_header");
    const truncated = failure('{}\n{"type":"event","length":500}\n{"message":"hi"}');
    expect([truncated.status, truncated.code]).toEqual([400, "truncated"]);
    expect(truncated.message).toContain("item 1 (event)");
    const tooLong = failure('{}\n{"type":"event","length":3}\n{"message":"hi"}\n');
    expect([tooLong.status, tooLong.code]).toEqual([400, "invalid_length"]);
    expect(failure('{}\n{"type":"event","length":-1}\n{}').code).toBe("invalid_length");
    expect(failure('{}\n{"type":"event","length":"12"}\n{}').code).toBe("invalid_length");
    expect(failure('{}\n{"length":2}\n{}').code).toBe("invalid_item_header");
    expect(failure('{}\n{"type":"event"\n{}').code).toBe("invalid_header");
    expect(failure(new Uint8Array([0x7b, 0x7d, 0x0a, 0xff, 0xfe])).code).toBe("invalid_encoding");
  });

  test("too many items and items over their cap are 413", () => {
    const many = "{}\n" + '{"type":"client_report"}\n{}\n'.repeat(10_000);
    const e = failure(many);
    expect([e.status, e.code]).toEqual([413, "too_many_items"]);
    const big = "x".repeat(SENTRY_LIMITS.itemBytes + 1);
    expect(failure(`{}\n{"type":"event","length":${big.length}}\n${big}\n`).status).toBe(413);
    expect(failure(`{}\n{"type":"event"}\n${big}\n`).code).toBe("item_too_large");
    // Discarded types are bounded by the whole-body cap only.
    expect(parse(`{}\n{"type":"attachment","length":${big.length}}\n${big}\n`).items).toHaveLength(1);
  });

  test("invalid JSON in an item is a 400 naming the item", () => {
    const env = parse('{}\n{"type":"event"}\n{"message": oops}\n');
    expect(() => parseItemJson(env.items[0]!, 0)).toThrow(/item 1 \(event\) is not valid JSON/);
    const deep = parse(`{}\n{"type":"event"}\n${"[".repeat(200_000)}${"]".repeat(200_000)}\n`);
    expect(() => parseItemJson(deep.items[0]!, 0)).toThrow(AppError);
  });
});
