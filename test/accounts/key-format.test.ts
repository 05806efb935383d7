import { expect, test } from "bun:test";
import { displayPrefix, generateKey } from "../../src/accounts/keys.ts";

// Sentry SDKs parse a DSN's key with `\w+`: a key with a hyphen makes `Sentry.init` throw.
const SENTRY_DSN = /^(?:(\w+):)\/\/(?:(\w+)(?::(\w+)?)?@)([\w.-]+)(?::(\d+))?\/(.+)/;

test("a generated key for a hyphenated slug is a valid Sentry DSN key", () => {
  const key = generateKey("my-web-app");
  expect(key).toMatch(/^pk_my_web_app_[0-9a-f]{16}$/);
  expect(SENTRY_DSN.exec(`http://${key}@127.0.0.1:3000/7`)?.[2]).toBe(key);
  expect(displayPrefix(key)).toBe(`${key.slice(0, "pk_my_web_app_".length + 4)}…`);
});
