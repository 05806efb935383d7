import { describe, expect, test } from "bun:test";
import { lookupCountry } from "../../src/ingest/steps/lookup-country.ts";
import { channelFor } from "../../src/pathways/handlers/channel-for.ts";

describe("lookupCountry", () => {
  test("IPv4 and IPv6 addresses resolve to ISO codes from the shipped database", () => {
    expect(lookupCountry("8.8.8.8")).toBe("US");
    expect(lookupCountry("81.2.69.142")).toBe("GB");
    expect(lookupCountry("2a00:1450:4001::1")).toMatch(/^[A-Z]{2}$/);
  });
  test("private, loopback and malformed addresses are unknown (null)", () => {
    for (const ip of ["127.0.0.1", "10.1.2.3", "::1", "not-an-ip", ""]) expect(lookupCountry(ip)).toBeNull();
  });
  test("a configured CDN header wins; its 'unknown' codes and junk become null", () => {
    expect(lookupCountry("8.8.8.8", "de")).toBe("DE");
    expect(lookupCountry("8.8.8.8", "XX")).toBeNull();
    expect(lookupCountry("8.8.8.8", "T1")).toBeNull();
    expect(lookupCountry("8.8.8.8", "Germany")).toBeNull();
  });
});

describe("channelFor (the documented rule set)", () => {
  const c = (source: string | null, host: string | null, utmMedium: string | null = null, utmSource: string | null = null) =>
    channelFor({ source, referrerHost: host, utmMedium, utmSource });
  test("rules in order", () => {
    expect(c(null, null)).toBe("direct");
    expect(c("Google", "google.com")).toBe("search");
    expect(c("Google", "google.com", "cpc")).toBe("paid");
    expect(c("Facebook", "facebook.com")).toBe("social");
    expect(c("Facebook", "facebook.com", "paid_social")).toBe("paid");
    expect(c("newsletter", null, "email", "newsletter")).toBe("email");
    expect(c("mail.google.com", "mail.google.com")).toBe("email");
    expect(c("news.example", "news.example")).toBe("referral");
    expect(c("spring-sale", null, "social")).toBe("social");
    expect(c("partner", null, "organic")).toBe("search");
  });
});
