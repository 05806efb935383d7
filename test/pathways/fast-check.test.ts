import { expect, test } from "bun:test";
import { z } from "zod";
import { compileCheck } from "../../src/pathways/fast-check.ts";
import { CONTRACTS } from "../../src/pathways/registry.ts";

const pageview = {
  ingestId: "0190a6c4-0000-7000-8000-000000000001",
  site: "example.com",
  pathname: "/p",
  referrer: "https://www.google.com/",
  referrerHost: "google.com",
  referrerSource: "Google",
  browser: "Firefox",
  browserVersion: "133",
  os: "Linux",
  osVersion: null,
  deviceType: "desktop",
  visitorHash: "0123456789abcdef0123456789abcdef",
  occurredAt: "2026-05-04T10:00:01.000Z",
  url: "https://example.com/p",
  title: null,
  utmSource: "news",
  utmMedium: null,
  utmCampaign: null,
  utmTerm: null,
  utmContent: null,
};
const crash = {
  ...pageview,
  pathname: null,
  errorType: "TypeError",
  message: "x is undefined",
  frames: [{ file: "app.js", function: "f", line: 3, column: 7, inApp: true }],
  fingerprint: { version: "g1", hash: "a".repeat(64) },
  release: "1.2",
  platform: null,
  osVersion: null,
  severity: "error",
  breadcrumbs: [{ message: "clicked" }],
  context: { route: "/x" },
};
for (const k of ["url", "title", "utmSource", "utmMedium", "utmCampaign", "utmTerm", "utmContent"]) delete (crash as Record<string, unknown>)[k];

// Values that break one rule or another: wrong types, too long, wrong shape, not a date.
const WRONG: unknown[] = [undefined, null, 1, -1.5, Number.NaN, true, "", "x".repeat(5000), "not-a-uuid", "2026-13-45T10:00:00Z", "2026-05-04 10:00:00", [], {}, ["a"], { a: 1 }];

/** The rule: when the fast check says yes, zod says yes and returns an equal value. */
function agrees(schema: z.AnyZodObject, value: unknown) {
  const check = compileCheck(schema)!;
  const r = schema.safeParse(value);
  if (check(value)) {
    expect(r.success).toBe(true);
    expect(r.data).toEqual(value as never);
  }
  return check(value);
}

test("every contract of the registry gets a fast check", () => {
  for (const c of CONTRACTS) expect(compileCheck(c.schema)).not.toBeNull();
});

test("valid payloads pass the fast check", () => {
  const byLabel = Object.fromEntries(CONTRACTS.map((c) => [c.label, c.schema]));
  expect(agrees(byLabel.pageview!, pageview)).toBe(true);
  expect(agrees(byLabel.crash!, crash)).toBe(true);
  expect(agrees(byLabel.crash!, { ...crash, rawStack: "at f (app.js:3:7)" })).toBe(true);
});

test("a fast yes always means a zod yes with the same value, field by field", () => {
  for (const c of CONTRACTS) {
    const base = c.label === "crash" ? crash : pageview;
    for (const field of Object.keys(c.schema.shape)) {
      for (const wrong of WRONG) {
        const value = { ...base, [field]: wrong };
        if (wrong === undefined) delete (value as Record<string, unknown>)[field];
        agrees(c.schema, value);
      }
    }
  }
});

test("unknown keys, defaults and transforms are left to zod", () => {
  const schema = z.object({ a: z.string() });
  expect(compileCheck(schema)!({ a: "x", extra: 1 })).toBe(false); // zod would strip it
  expect(compileCheck(z.object({ a: z.string().default("x") }))).toBeNull();
  expect(compileCheck(z.object({ a: z.string().transform((s) => s.length) }))).toBeNull();
  expect(compileCheck(z.object({ a: z.string().trim() }))).toBeNull();
});

test("datetime, uuid, regex, enum and number rules match zod's", () => {
  const schema = z.object({
    at: z.string().datetime({ offset: true }),
    id: z.string().uuid(),
    h: z.string().regex(/^[0-9a-f]{4}$/),
    e: z.enum(["a", "b"]),
    n: z.number().int().min(0).max(9),
  });
  const ok = { at: "2026-05-04T10:00:01.123+02:00", id: "0190a6c4-0000-7000-8000-000000000001", h: "00ff", e: "a", n: 3 };
  expect(agrees(schema, ok)).toBe(true);
  for (const bad of [{ at: "2026-02-30T10:00:00Z" }, { id: "0190a6c4-0000-7000-8000-00000000000" }, { h: "00FF" }, { e: "c" }, { n: 3.5 }, { n: 10 }, { n: -1 }]) {
    expect(agrees(schema, { ...ok, ...bad })).toBe(false);
    expect(schema.safeParse({ ...ok, ...bad }).success).toBe(false);
  }
});
