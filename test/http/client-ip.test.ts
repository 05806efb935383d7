import { describe, expect, test } from "bun:test";
import { parseConfig } from "../../src/config.ts";
import { clientIp } from "../../src/http/client-ip.ts";

const SOCKET = "10.0.0.2"; // the proxy's address, as the app's socket sees it
const request = (headers: Record<string, string>) => new Request("http://localhost/api/pageview", { method: "POST", headers });
const ipWith = (trustProxy: string, headers: Record<string, string>) => clientIp(request(headers), SOCKET, parseConfig({ TRUST_PROXY: trustProxy }).trustProxy);

describe("the client address behind a proxy", () => {
  // The client sent "X-Forwarded-For: 6.6.6.6"; nginx ($proxy_add_x_forwarded_for) appended the
  // address it saw, 203.0.113.7.
  const appended = { "x-forwarded-for": "6.6.6.6, 203.0.113.7" };

  test("a hop count takes the entry the proxy wrote, not the one the client forged", () => {
    expect(ipWith("1", appended)).toBe("203.0.113.7");
    // Cloudflare → nginx → app: nginx appends Cloudflare's edge address.
    expect(ipWith("2", { "x-forwarded-for": "6.6.6.6, 203.0.113.7, 172.70.1.1" })).toBe("203.0.113.7");
  });

  test("TRUST_PROXY=true takes the client's own entry (why it warns at start-up)", () => {
    expect(ipWith("true", appended)).toBe("6.6.6.6");
    expect(parseConfig({ TRUST_PROXY: "true" }).warnings[0]).toContain("left-most");
  });

  test("a header the proxy overwrites, and no proxy header at all", () => {
    expect(ipWith("cf-connecting-ip", { "cf-connecting-ip": "203.0.113.7", "x-forwarded-for": "6.6.6.6" })).toBe("203.0.113.7");
    expect(ipWith("1", {})).toBe(SOCKET);
    expect(ipWith("false", appended)).toBe(SOCKET);
  });
});
