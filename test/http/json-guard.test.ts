import { describe, expect, test } from "bun:test";
import { AppError } from "../../src/errors.ts";
import { MAX_JSON_DEPTH, parseGuardedJson } from "../../src/http/json-guard.ts";

const fails = (text: string) => {
  try {
    parseGuardedJson(text);
  } catch (err) {
    if (err instanceof AppError) return { status: err.status, code: err.code };
    throw err;
  }
  throw new Error("expected a rejection");
};

describe("JSON guard", () => {
  test("plain JSON parses as JSON.parse would", () => {
    expect(parseGuardedJson('{"a":[1,"x",{"b":null}],"c":true}')).toEqual({ a: [1, "x", { b: null }], c: true });
  });

  test(`nesting deeper than ${MAX_JSON_DEPTH} is refused before parsing (422 too_deep); brackets inside strings do not count`, () => {
    expect(fails("[".repeat(MAX_JSON_DEPTH + 1) + "]".repeat(MAX_JSON_DEPTH + 1))).toEqual({ status: 422, code: "too_deep" });
    expect(parseGuardedJson("[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH))).toBeArray();
    expect(parseGuardedJson(JSON.stringify({ s: "[[[[[[[[[[[[[[[[[[[[" }))).toEqual({ s: "[[[[[[[[[[[[[[[[[[[[" });
    expect(parseGuardedJson(JSON.stringify({ s: '\\"[[[[[[[[[[[[[' }))).toEqual({ s: '\\"[[[[[[[[[[[[[' });
  });

  test("invalid JSON → 400 invalid_json", () => {
    expect(fails("{broken")).toEqual({ status: 400, code: "invalid_json" });
    expect(fails("")).toEqual({ status: 400, code: "invalid_json" });
  });

  test("__proto__, constructor and prototype keys are dropped at every level; nothing is polluted", () => {
    const v = parseGuardedJson('{"__proto__":{"polluted":1},"a":{"constructor":{"prototype":{"x":1}},"ok":2},"prototype":3}') as Record<string, unknown>;
    expect(v).toEqual({ a: { ok: 2 } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });

  test("what Postgres jsonb cannot store is removed (as the README says, never replaced by U+FFFD): NUL and lone surrogates, in values and keys", () => {
    expect(parseGuardedJson('{"a":"x\\u0000y","b":"\\ud800z","k\\u0000ey":"v"}')).toEqual({ a: "xy", b: "z", key: "v" });
    expect(parseGuardedJson('{"ok":"\\ud83d\\ude00"}')).toEqual({ ok: "😀" });
    const parsed = parseGuardedJson('{"a":"x\\ud800y\\udc00z","b":"\\ud83d\\ude00","c":"n\\u0000ul","d\\udfff":"key"}');
    expect(parsed).toEqual({ a: "xyz", b: "😀", c: "nul", d: "key" });
    expect(JSON.stringify(parsed)).not.toContain("\ufffd");
  });

  test("a key that becomes __proto__ once cleaned is dropped, not assigned", () => {
    const parsed = parseGuardedJson('{"__proto__\\u0000":{"polluted":true},"ok":1}') as Record<string, unknown>;
    expect(parsed).toEqual({ ok: 1 });
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect((parsed as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
