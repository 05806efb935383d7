import { expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { hashVisitor } from "../../src/privacy/visitor-hash.ts";

test("the visitor hash is HMAC-SHA256(salt, site ‖ 0 ‖ IP ‖ 0 ‖ user agent), first 128 bits, as documented", () => {
  const salt = Buffer.from("0f".repeat(32), "hex");
  const ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
  const expected = createHmac("sha256", salt).update(["example.com", "203.0.113.7", ua].join("\u0000")).digest("hex").slice(0, 32);
  expect(hashVisitor(salt, "example.com", "203.0.113.7", ua)).toBe(expected);
  expect(hashVisitor(salt, "example.org", "203.0.113.7", ua)).not.toBe(expected);
});
