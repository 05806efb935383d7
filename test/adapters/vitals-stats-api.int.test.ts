import { afterAll, beforeAll, expect, test } from "bun:test";
import { buildApp } from "../../src/app.ts";
import { AppError } from "../../src/errors.ts";
import type { Authorise } from "../../src/http/query-routes.ts";
import { CHROME_UA, startTestApp, type TestApp } from "../support/app.ts";

// Web Vitals through the Stats API: measurements in through Umami's performance events and
// /api/vitals, p75 out of POST /api/v1/query. The authoriser stands in for accounts' reader.
const NOW = new Date("2026-11-10T12:00:00Z");
const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
let t: TestApp;
let app: ReturnType<typeof buildApp>;
const authorise: Authorise = async (request) => {
  if (request.headers.get("authorization") !== "Bearer reader") throw new AppError(401, "invalid_token", "unknown token");
  return { canRead: async (site) => site === "perf.example" };
};

beforeAll(async () => {
  t = await startTestApp({ clock: () => NOW });
  app = buildApp({ ...t.runtime.deps, authoriseReader: authorise });
  const send = (path: string, body: unknown, ua = CHROME_UA) =>
    app.handle(
      new Request(`http://localhost${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": ua, "x-forwarded-for": "81.2.69.142" },
        body: JSON.stringify(body),
      }),
    );
  for (const lcp of [1000, 2000, 3000, 4000, 5000]) {
    expect((await send("/api/send", { type: "performance", payload: { hostname: "perf.example", url: "/", lcp, inp: lcp / 10, cls: 0.1 } })).status).toBe(200);
  }
  expect((await send("/api/vitals", { site: "perf.example", pathname: "/pricing", lcp: 900, ttfb: 80 }, IPHONE)).status).toBe(202);
  await t.waitForRows("web_vitals", 6);
}, 60_000);
afterAll(() => t.stop());

const query = (body: unknown) =>
  app.handle(
    new Request("http://localhost/api/v1/query", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer reader" }, body: JSON.stringify(body) }),
  );

test("lcp_p75 and friends per page and per device", async () => {
  const res = await query({
    site: "perf.example",
    metrics: ["lcp_p75", "inp_p75", "cls_p75", "ttfb_p75", "vitals_measurements"],
    date_range: "day",
    dimensions: ["page"],
    order_by: [["page", "asc"]],
  });
  expect(res.status).toBe(200);
  const body = await res.json();
  expect(body.meta.source).toBe("web_vitals");
  expect(body.results).toEqual([
    { dimensions: ["/"], metrics: [4000, 400, 0.1, null, 5] },
    { dimensions: ["/pricing"], metrics: [900, null, null, 80, 1] },
  ]);
  const byDevice = await (await query({ site: "perf.example", metrics: ["lcp_p75"], date_range: "7d", dimensions: ["device"], order_by: [["device", "asc"]] })).json();
  expect(byDevice.results).toEqual([
    { dimensions: ["desktop"], metrics: [4000] },
    { dimensions: ["mobile"], metrics: [900] },
  ]);
  const daily = await (await query({ site: "perf.example", metrics: ["lcp_p75"], date_range: "7d", dimensions: ["time:day"] })).json();
  // p75 of 900, 1000, 2000, 3000, 4000, 5000 (interpolated, as percentile_cont does): 3750.
  expect(daily.results.at(-1)).toEqual({ dimensions: ["2026-11-10"], metrics: [3750] });
  expect(daily.results[0].metrics).toEqual([null]); // a day without measurements has no percentile
});

test("Web Vitals metrics cannot be mixed, compared or broken down by visit dimensions", async () => {
  for (const [body, field] of [
    [{ metrics: ["lcp_p75", "visitors"] }, "metrics"],
    [{ metrics: ["lcp_p75"], compare: "previous_period" }, "compare"],
    [{ metrics: ["lcp_p75"], dimensions: ["source"] }, "dimensions.0"],
  ] as const) {
    const res = await query({ site: "perf.example", date_range: "day", ...body });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message.startsWith(field)).toBe(true);
  }
});
