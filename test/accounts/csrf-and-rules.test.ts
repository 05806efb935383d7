import { describe, expect, test } from "bun:test";
import { checkCsrf } from "../../src/accounts/csrf.ts";
import { displayPrefix } from "../../src/accounts/keys.ts";
import { createLoginLimiter } from "../../src/accounts/login-limiter.ts";
import { dsnFor, shareUrl } from "../../src/accounts/public-url.ts";
import { checkPassword, checkTimezone, slugFrom } from "../../src/accounts/validate.ts";
import { parseConfig } from "../../src/config.ts";

const req = (method: string, headers: Record<string, string>, url = "http://analytics.example.com/api/admin/projects") => new Request(url, { method, headers });
const refused = (r: Request, publicUrl: string | null = null) => {
  try {
    checkCsrf(r, publicUrl);
    return false;
  } catch (e) {
    return (e as { code?: string }).code === "csrf_rejected";
  }
};

describe("CSRF check", () => {
  test("same origin passes, another origin is refused, reads are never checked", () => {
    expect(refused(req("POST", { origin: "http://analytics.example.com" }))).toBe(false);
    expect(refused(req("POST", { origin: "https://evil.example" }))).toBe(true);
    expect(refused(req("DELETE", { origin: "http://analytics.example.com.evil.example" }))).toBe(true);
    expect(refused(req("POST", { origin: "null" }))).toBe(true);
    expect(refused(req("GET", { origin: "https://evil.example" }))).toBe(false);
  });
  test("Sec-Fetch-Site decides when present; no browser headers means no browser", () => {
    expect(refused(req("POST", { "sec-fetch-site": "cross-site" }))).toBe(true);
    expect(refused(req("POST", { "sec-fetch-site": "same-site", origin: "https://sub.analytics.example.com" }))).toBe(true);
    expect(refused(req("POST", { "sec-fetch-site": "same-origin", origin: "https://whatever" }))).toBe(false);
    expect(refused(req("POST", {}))).toBe(false);
  });
  test("behind a proxy: the Host header or PUBLIC_URL is our origin; a bearer token is exempt", () => {
    const proxied = req("POST", { origin: "https://stats.example.org", host: "stats.example.org" }, "http://127.0.0.1:3000/api/admin/projects");
    expect(refused(proxied)).toBe(false);
    const viaPublicUrl = req("POST", { origin: "https://stats.example.org" }, "http://127.0.0.1:3000/x");
    expect(refused(viaPublicUrl)).toBe(true);
    expect(refused(viaPublicUrl, "https://stats.example.org/analytics")).toBe(false);
    expect(refused(req("POST", { origin: "https://evil.example", authorization: "Bearer pat_x" }))).toBe(false);
  });
});

describe("login limiter", () => {
  test("free failures, then a doubling wait capped at 15 minutes; success clears the account", () => {
    let now = 0;
    const l = createLoginLimiter(() => new Date(now));
    const keys = ["client:1", "account:a@example.com"];
    for (let i = 0; i < 5; i++) l.failed(keys);
    expect(l.retryAfter(keys)).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      l.failed(keys);
      waits.push(l.retryAfter(keys));
      now += waits.at(-1)! * 1000;
    }
    expect(waits.slice(0, 5)).toEqual([1, 2, 4, 8, 16]);
    expect(Math.max(...waits)).toBe(900);
    l.succeeded("account:a@example.com");
    expect(l.retryAfter(["account:a@example.com"])).toBe(0);
    now += 61 * 60_000; // a quiet hour forgets the client too
    expect(l.retryAfter(keys)).toBe(0);
  });
});

describe("rules", () => {
  test("passwords, time zones, slugs, key prefixes", () => {
    expect(() => checkPassword("123456789")).toThrow(/at least 10 characters/);
    expect(() => checkPassword("me@example.com", "ME@example.com")).toThrow(/not the email/);
    expect(checkPassword("long enough pw")).toBe("long enough pw");
    expect(checkTimezone("america/new_york")).toBe("America/New_York");
    expect(checkTimezone("UTC")).toBe("UTC");
    expect(() => checkTimezone("Europe/Atlantis")).toThrow(/timezone:/);
    expect(slugFrom("  Ünïcode Shop! 2 ")).toBe("unicode-shop-2");
    expect(displayPrefix("pk_shop_0123456789abcdef")).toBe("pk_shop_0123…");
    expect(displayPrefix("legacy-key-abcdefghijklmnop")).toBe("legacy…");
  });
  test("DSNs and share URLs follow PUBLIC_URL, else HOST and PORT", () => {
    expect(dsnFor(parseConfig({}), "pk_a_0123456789abcdef", 7)).toBe("http://pk_a_0123456789abcdef@127.0.0.1:3000/7");
    expect(dsnFor(parseConfig({ HOST: "analytics.lan", PORT: "8080" }), "k", 1)).toBe("http://k@analytics.lan:8080/1");
    const pub = parseConfig({ PUBLIC_URL: "https://stats.example.org/analytics/" });
    expect(dsnFor(pub, "k", 2)).toBe("https://k@stats.example.org/analytics/2");
    expect(shareUrl(pub, "abc")).toBe("https://stats.example.org/analytics/share/abc");
  });
  test("config: ADMIN_EMAIL and ADMIN_PASSWORD go together; a short password is refused without echoing it", () => {
    expect(() => parseConfig({ ADMIN_EMAIL: "a@example.com" })).toThrow(/set both/);
    let message = "";
    try {
      parseConfig({ ADMIN_EMAIL: "a@example.com", ADMIN_PASSWORD: "hunter2" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("ADMIN_PASSWORD");
    expect(message).not.toContain("hunter2");
    expect(parseConfig({ ADMIN_EMAIL: "a@example.com", ADMIN_PASSWORD: "long enough pw" }).firstAdmin).toEqual({ email: "a@example.com", password: "long enough pw" });
  });
});
