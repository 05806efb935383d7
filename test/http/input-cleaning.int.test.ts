import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "../support/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { ALLOWED_SITES: "https://www.Shop.Example:443, apps.example" } });
});
afterAll(() => t.stop());

describe("what the README promises about input is what is stored", () => {
  test("escaped lone surrogates and NULs are removed from stored strings (no U+FFFD)", async () => {
    const body =
      '{"site":"shop.example","pathname":"/s\\ud800urrogate","title":"A\\udc00B\\u0000C \\ud83d\\ude00","eventName":"x\\udbff","customProperties":{"k\\udfff":"v\\ud800"}}';
    expect((await t.post("/api/pageview", body, { raw: true })).status).toBe(202);
    expect((await t.post("/api/event", body, { raw: true })).status).toBe(202);
    expect(await t.waitForRows("pageviews", 1)).toBe(1);
    expect(await t.waitForRows("custom_events", 1)).toBe(1);
    const [pv] = await t.sql`select pathname, title from pageviews`;
    expect(pv).toEqual({ pathname: "/surrogate", title: "ABC 😀" });
    const [ev] = await t.sql`select event_name, properties from custom_events`;
    expect(ev).toEqual({ event_name: "x", properties: { k: "v" } });
  });

  test("a crash from an iOS or Android app (no browser user agent) gets its device class from the platform", async () => {
    const crash = (platform: string, ua: string) =>
      t.post("/api/crash", { site: "apps.example", errorType: "NSRangeException", message: `boom on ${platform}`, platform }, { headers: { "user-agent": ua } });
    expect((await crash("ios", "MyApp/2.4.0 (iPhone; iOS 17.2) sentry.cocoa/8.20.0")).status).toBe(202);
    expect((await crash("android", "okhttp/4.12.0")).status).toBe(202);
    expect((await crash("ipados", "")).status).toBe(202);
    expect((await crash("python", "python-requests/2.31.0")).status).toBe(202);
    expect(await t.waitForRows("crashes", 4)).toBe(4);
    const rows = await t.sql`select platform, device_type from crashes order by platform`;
    expect(rows.map((r) => [r.platform, r.device_type])).toEqual([
      ["android", "mobile"],
      ["ios", "mobile"],
      ["ipados", "tablet"],
      ["python", "other"],
    ]);
  });

  test("ALLOWED_SITES=https://www.Shop.Example:443 accepts events for shop.example", async () => {
    const ok = await t.post("/api/pageview", { site: "www.shop.example", pathname: "/allowed" });
    expect(ok.status).toBe(202);
    const other = await t.post("/api/pageview", { site: "elsewhere.example", pathname: "/" });
    expect(await other.json()).toEqual({ accepted: false, reason: "unknown_site" });
  });

  test("a validation error names the field and the allowed values", async () => {
    const res = await t.post("/api/crash", { site: "apps.example", errorType: "E", message: "m", severity: "critical" });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: { code: "invalid_body", message: 'severity: must be one of "warning", "error", "fatal" (got "critical")' } });
  });
});
