import { expect, test } from "bun:test";
import { recleanReferrer } from "../../src/pathways/handlers/reclean-referrer.ts";

const payload = (referrer: string | null, host: string | null, source: string | null = host) => ({
  ingestId: "x",
  referrer,
  referrerHost: host,
  referrerSource: source,
  pathname: "/",
});

test("an old referrer with personal data is cleaned; host and source stay", () => {
  expect(recleanReferrer(payload("https://mail.example.org/u/jane.doe@example.com/inbox?x=1", "mail.example.org"))).toEqual(
    payload("https://mail.example.org/u/<email>/inbox", "mail.example.org"),
  );
});

test("a clean referrer is returned as the same object (the fast path)", () => {
  const p = payload("https://www.google.com/", "google.com", "Google");
  expect(recleanReferrer(p)).toBe(p);
  const none = payload(null, null, "newsletter");
  expect(recleanReferrer(none)).toBe(none);
});

test("an IP-address referrer keeps only <ip>; a known source name is not renamed", () => {
  expect(recleanReferrer(payload("http://203.0.113.9/x", "203.0.113.9"))).toEqual(payload(null, "<ip>"));
  expect(recleanReferrer(payload("http://203.0.113.9/x", "203.0.113.9", "newsletter"))).toEqual(payload(null, "<ip>", "newsletter"));
});

test("cleaning twice changes nothing", () => {
  const once = recleanReferrer(payload("https://crm.example.net/reset/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08?u=1", "crm.example.net"));
  expect(once.referrer).toBe("https://crm.example.net/reset/<token>");
  expect(recleanReferrer(once)).toBe(once);
});
