import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "../support/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { RATE_LIMIT_RPS: "1", RATE_LIMIT_BURST: "3" } });
});
afterAll(() => t.stop());

test("an IPv6 client rotating addresses inside its /64 is limited as one client; its visitors are still told apart", async () => {
  const statuses: number[] = [];
  for (let i = 1; i <= 6; i++) statuses.push((await t.post("/api/pageview", { site: "example.com", pathname: `/v6/${i}` }, { ip: `2001:db8:aa:bb::${i.toString(16)}` })).status);
  expect(statuses).toEqual([202, 202, 202, 429, 429, 429]);
  // Another /64 and an IPv4 client are not affected.
  expect((await t.post("/api/pageview", { site: "example.com", pathname: "/v6/other" }, { ip: "2001:db8:aa:cc::1" })).status).toBe(202);
  expect((await t.post("/api/pageview", { site: "example.com", pathname: "/v4" }, { ip: "198.51.100.9" })).status).toBe(202);

  // The visitor hash keeps the full address: the three accepted /64 neighbours are three visitors.
  expect(await t.waitForRows("pageviews", 5)).toBe(5);
  const rows = await t.sql`select visitor_hash from pageviews where pathname like '/v6/_'`;
  expect(rows.length).toBe(3);
  expect(new Set(rows.map((r) => r.visitor_hash)).size).toBe(3);
});
