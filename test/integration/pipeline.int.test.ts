import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "../support/app.ts";

const IP = "192.0.2.146";
const UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1";

let now = new Date("2026-05-04T10:00:00Z");
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ clock: () => now });
});
afterAll(() => t.stop());

const send = (path: string, body: unknown, headers: Record<string, string> = {}) => t.post(path, body, { ip: IP, headers: { "user-agent": UA, ...headers } });

describe("events in → rows out (embedded delivery)", () => {
  test("page view, custom event and crash are projected with enrichment", async () => {
    const started = performance.now();
    expect(
      (
        await send("/api/pageview", {
          site: "shop.example",
          pathname: "/products/42",
          url: "https://shop.example/products/42?utm_source=newsletter&utm_medium=email&utm_campaign=spring&email=bob@example.com",
          referrer: "https://www.google.com/search?q=shoes",
          title: "Shoes",
        })
      ).status,
    ).toBe(202);
    expect(
      (
        await send(
          "/api/event",
          { pathname: "/checkout", eventName: "purchase", customProperties: { amount: 42.5, currency: "EUR", first: true } },
          { origin: "https://shop.example" },
        )
      ).status,
    ).toBe(202);
    expect(
      (
        await send("/api/crash", {
          site: "shop.example",
          errorType: "TypeError",
          message: "Cannot read properties of undefined (reading 'id') for alice@example.com",
          stack:
            "TypeError: Cannot read properties of undefined (reading 'id')\n    at renderCart (https://shop.example/assets/app.4f3c2a1b.js:120:17)\n    at https://shop.example/assets/app.4f3c2a1b.js:88:3",
          release: "2.1.0",
          platform: "web",
          severity: "fatal",
        })
      ).status,
    ).toBe(202);

    expect(await t.waitForRows("pageviews", 1)).toBe(1);
    expect(await t.waitForRows("custom_events", 1)).toBe(1);
    expect(await t.waitForRows("crashes", 1)).toBe(1);
    const msToRows = performance.now() - started;
    console.log(`[measure] POST → rows in all three tables: ${msToRows.toFixed(0)} ms`);

    const [pv] = await t.sql`select * from pageviews`;
    expect(pv).toMatchObject({
      site: "shop.example",
      pathname: "/products/42",
      url: "https://shop.example/products/42",
      title: "Shoes",
      referrer: "https://www.google.com/search",
      referrer_host: "google.com",
      referrer_source: "newsletter",
      utm_source: "newsletter",
      utm_medium: "email",
      utm_campaign: "spring",
      browser: "Mobile Safari",
      browser_version: "17",
      os: "iOS",
      device_type: "mobile",
    });
    expect(pv!.visitor_hash).toMatch(/^[0-9a-f]{32}$/);

    const [ev] = await t.sql`select * from custom_events`;
    expect(ev).toMatchObject({ site: "shop.example", event_name: "purchase", pathname: "/checkout", properties: { amount: 42.5, currency: "EUR", first: true } });
    expect(ev!.visitor_hash).toBe(pv!.visitor_hash); // same person, same site, same day

    const [cr] = await t.sql`select * from crashes`;
    expect(cr).toMatchObject({ site: "shop.example", error_type: "TypeError", release: "2.1.0", platform: "web", severity: "fatal" });
    expect(cr!.message).not.toContain("alice@example.com");
    expect(cr!.frames[0]).toMatchObject({ function: "renderCart", line: 120, column: 17, inApp: true });
    const [group] = await t.sql`select * from crash_groups where id = ${cr!.group_id}`;
    expect(group).toMatchObject({ occurrences: 1, affected_visitors: 1, releases: ["2.1.0"], platforms: ["web"], status: "new" });
  });

  test("no table, log or event payload contains the raw IP or user agent", async () => {
    const tables = await t.sql`select schemaname, tablename from pg_tables where schemaname in ('public', 'drizzle')`;
    expect(tables.length).toBeGreaterThan(5);
    for (const { schemaname, tablename } of tables) {
      const dump = JSON.stringify(await t.sql.unsafe(`select * from "${schemaname}"."${tablename}"`));
      expect(dump).not.toContain(IP);
      expect(dump).not.toContain(UA);
      expect(dump).not.toContain("iPhone OS 17_2");
    }
    const logs = t.logs.join("\n");
    expect(logs).not.toContain(IP);
    expect(logs).not.toContain(UA);
  });

  test("the visitor hash changes at the next UTC day and differs between sites", async () => {
    await send("/api/pageview", { site: "other.example", pathname: "/" });
    now = new Date("2026-05-05T00:00:00.001Z");
    await send("/api/pageview", { site: "shop.example", pathname: "/products/42" });
    expect(await t.waitForRows("pageviews", 3)).toBe(3);
    const rows = await t.sql`select site, visitor_hash, occurred_at from pageviews order by occurred_at`;
    const hashes = rows.map((r) => r.visitor_hash);
    expect(new Set(hashes).size).toBe(3);
  });

  test("the event log and every projection are keyed by the ingest id", async () => {
    const ids = await t.sql`select ingest_id::text as id from event_log order by seq`;
    const projected = await t.sql`
      select id::text from pageviews union all select id::text from custom_events union all select id::text from crashes`;
    expect(projected.map((r) => r.id).sort()).toEqual(ids.map((r) => r.id).sort());
  });
});
