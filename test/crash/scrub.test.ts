import { describe, expect, test } from "bun:test";
import { scrubFrame, scrubFrames, scrubMessage } from "../../src/crash/scrub.ts";
import { frame } from "./helpers.ts";

describe("scrubMessage", () => {
  test("email, IP, bearer token and card number leave only placeholders", () => {
    const raw =
      "Request by alice.smith+work@example.co.uk from 203.0.113.42 failed: " + "Authorization Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl, card 4111 1111 1111 1111";
    const out = scrubMessage(raw);
    for (const secret of ["alice.smith", "example.co.uk", "203.0.113.42", "eyJhbGci", "4111 1111"]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toBe("Request by <email> from <ip> failed: Authorization Bearer <token>, card <card>");
  });

  test("IPv6 addresses, including IPv4-mapped and bracketed ones", () => {
    expect(scrubMessage("peer 2001:db8::8a2e:370:7334 and [::1]:8080 and ::ffff:192.0.2.1.")).toBe("peer <ip> and [<ip>]:8080 and <ip>.");
    expect(scrubMessage("took 12:30:45 at std::vector")).toBe("took 12:30:45 at std::vector");
  });

  test("vendor keys and key=value secrets", () => {
    const raw =
      "keys sk_live_4eC39HqLyjWDarjtT1zdp7dc ghp_16C7e42F292c6912E7710c838347Ae178B4a AKIAIOSFODNN7EXAMPLE " +
      'api_key=0123456789abcdef0123456789abcdef password=hunter2 "clientSecret": "s3cr3t value" authToken: abc';
    expect(scrubMessage(raw)).toBe('keys <token> <token> <token> api_key=<token> password=<token> "clientSecret": "<token>" authToken: <token>');
  });

  test("prose that merely mentions keys or bearers is left alone", () => {
    const text = "Duplicate key: userId; Bearer authentication failed";
    expect(scrubMessage(text)).toBe(text);
  });

  test("card-like numbers must pass Luhn", () => {
    expect(scrubMessage("pan 5555-5555-5555-4444 order 1234567890123")).toBe("pan <card> order 1234567890123");
  });

  test("URLs lose query strings, fragments and credentials", () => {
    expect(scrubMessage("GET https://x/y?a=b#c failed")).toBe("GET https://x/y failed");
    expect(scrubMessage("fetch https://bob:pw@api.test/v1/items?token=abc#top")).toBe("fetch https://api.test/v1/items");
  });

  test("home directories are masked on Linux, macOS and Windows", () => {
    expect(scrubMessage("ENOENT /home/alice/app/x.json, /Users/bob/Library/y, C:\\Users\\carol\\AppData\\z")).toBe(
      "ENOENT /home/<user>/app/x.json, /Users/<user>/Library/y, C:\\Users\\<user>\\AppData\\z",
    );
  });

  test("caps length at 2,000 characters and is idempotent", () => {
    expect(scrubMessage("x".repeat(5000))).toHaveLength(2000);
    const once = scrubMessage("mail bob@example.com at 10.0.0.1 with token=abcdef");
    expect(scrubMessage(once)).toBe(once);
  });
});

describe("scrubFrame", () => {
  test("strips query and fragment from the file URL and masks home dirs", () => {
    expect(scrubFrame(frame("https://cdn.test/app.js?v=3#x", "f", 1, 2, true))).toEqual(frame("https://cdn.test/app.js", "f", 1, 2, true));
    expect(scrubFrame(frame("/Users/alice/dev/app/src/main.ts", "g", 3, 4, true))).toEqual(frame("/Users/<user>/dev/app/src/main.ts", "g", 3, 4, true));
  });

  test("drops blob: and browser-extension frames; keeps native frames", () => {
    expect(scrubFrame(frame("blob:https://app.test/5a1c-77", "w", 1, 1, false))).toBeNull();
    expect(scrubFrame(frame("safari-web-extension://ABC/script.js", "s", 1, 1, false))).toBeNull();
    const frames = scrubFrames([
      frame("chrome-extension://abc/content.js", "c", 1, 1, false),
      { file: null, function: "map", line: null, column: null, inApp: false, native: true },
      frame("https://app.test/a.js", "a", 1, 1, true),
    ]);
    expect(frames.map((f) => f.function)).toEqual(["map", "a"]);
  });
});

describe("scrubMessage: cost stays linear on hostile input", () => {
  const hostile = ["a".repeat(40_000), "a-".repeat(20_000), "a://".repeat(10_000), "1 ".repeat(20_000), "x= ".repeat(13_000)];
  for (const input of hostile) {
    test(`${JSON.stringify(input.slice(0, 4))}… (${input.length} chars)`, () => {
      const started = performance.now();
      scrubMessage(input);
      expect(performance.now() - started).toBeLessThan(250);
    });
  }
});
