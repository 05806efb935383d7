import { describe, expect, test } from "bun:test";
import { classifyReferrer } from "../../src/ingest/steps/classify-referrer.ts";
import { cleanReferrer } from "../../src/ingest/steps/clean-referrer.ts";

describe("referrers keep the host and a cleaned path, never personal data", () => {
  const cases: [string, string | null, string][] = [
    ["https://mail.example.org/u/jane.doe@example.com/inbox", "https://mail.example.org/u/<email>/inbox", "mail.example.org"],
    ["https://mail.example.org/u/jane.doe%40example.com/inbox?user=jane#msg-1", "https://mail.example.org/u/<email>/inbox", "mail.example.org"],
    ["https://app.example.net/reset/9f86d081884c7d659a2feaa0c55ad015", "https://app.example.net/reset/<token>", "app.example.net"],
    ["https://app.example.net/u/3f9a2c1b-7d8e-4f60-a1b2-c3d4e5f6a7b8/profile", "https://app.example.net/u/<token>/profile", "app.example.net"],
    ["https://x.example/files/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl", "https://x.example/files/<token>", "x.example"],
    ["https://admin.example.com/hosts/203.0.113.9/edit", "https://admin.example.com/hosts/<ip>/edit", "admin.example.com"],
    ["https://admin.example.com/hosts/2001:db8::7/edit", "https://admin.example.com/hosts/<ip>/edit", "admin.example.com"],
    ["https://shop.example/orders/123456789/receipt", "https://shop.example/orders/<number>/receipt", "shop.example"],
    ["https://shop.example/call/+491511234567", "https://shop.example/call/+<number>", "shop.example"],
    ["https://user:secret@x.example/session;jsessionid=ABCDEF123/page", "https://x.example/session/page", "x.example"],
    // What carries no personal data is kept as it was.
    ["https://www.google.com/search?q=jane+doe", "https://www.google.com/search", "google.com"],
    ["https://news.ycombinator.com/", "https://news.ycombinator.com/", "news.ycombinator.com"],
    ["https://blog.example/2024/05/how-to-use-bun-2024-guide", "https://blog.example/2024/05/how-to-use-bun-2024-guide", "blog.example"],
    ["https://x.example/docs/ThisIsAVeryLongCamelCaseName", "https://x.example/docs/ThisIsAVeryLongCamelCaseName", "x.example"],
    // A crash message's home-directory rule is not a web path rule.
    ["https://app.example.com/home/dashboard", "https://app.example.com/home/dashboard", "app.example.com"],
    ["https://X.Example:8443/caf%C3%A9", "https://x.example:8443/café", "x.example"],
    // A host that is an address says who, not where: only "<ip>" is kept.
    ["http://192.168.1.20:8080/admin/jane", null, "<ip>"],
    ["http://[2001:db8::1]/x", null, "<ip>"],
  ];
  for (const [referrer, url, host] of cases) {
    test(referrer, () => {
      const cleaned = cleanReferrer(referrer);
      expect(cleaned).toEqual({ url, host });
      // Idempotent: a stored referrer cleaned again (a replay) is unchanged.
      if (url) expect(cleanReferrer(url)).toEqual({ url, host });
    });
  }

  test("non-web and malformed referrers are not kept", () => {
    expect(cleanReferrer("android-app://com.google.android.gm/")).toBeNull();
    expect(cleanReferrer("not a url")).toBeNull();
    expect(cleanReferrer("")).toBeNull();
  });

  test("the classified referrer carries only cleaned values; the source of an IP host is <ip>", () => {
    expect(classifyReferrer("https://mail.example.org/u/jane.doe@example.com/inbox", "site.example", null)).toEqual({
      referrer: "https://mail.example.org/u/<email>/inbox",
      referrerHost: "mail.example.org",
      referrerSource: "mail.example.org",
    });
    expect(classifyReferrer("http://203.0.113.9/", "site.example", null)).toEqual({ referrer: null, referrerHost: "<ip>", referrerSource: "<ip>" });
    expect(classifyReferrer("https://www.site.example/a", "site.example", "newsletter")).toEqual({ referrer: null, referrerHost: null, referrerSource: "newsletter" });
  });
});
