import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { buildApp } from "../../src/app.ts";
import { AppError } from "../../src/errors.ts";
import type { Authorise } from "../../src/http/query-routes.ts";
import { CHROME_UA, startTestApp, type TestApp } from "../support/app.ts";

// The Stats API through the real app: events go in through the ingest endpoints and the delivery
// loop, questions come out of POST /api/v1/query. The authoriser stands in for accounts' reader:
// token "reader-a" may read a.example only.
const NOW = new Date("2026-11-10T12:00:00Z");
let t: TestApp;
let app: ReturnType<typeof buildApp>;
const authorise: Authorise = async (request) => {
  if (request.headers.get("authorization") !== "Bearer reader-a") throw new AppError(401, "invalid_token", "unknown token");
  return { canRead: async (site) => site === "a.example" };
};

beforeAll(async () => {
  t = await startTestApp({ clock: () => NOW });
  app = buildApp({ ...t.runtime.deps, authoriseReader: authorise });
  const send = (path: string, body: unknown, ip: string) =>
    app.handle(
      new Request(`http://localhost${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": CHROME_UA, "x-forwarded-for": ip },
        body: JSON.stringify(body),
      }),
    );
  // Two visitors from GB and the US; one views two pages and converts, the other bounces.
  for (const [path, body, ip] of [
    ["/api/pageview", { site: "a.example", pathname: "/", referrer: "https://www.google.com/" }, "81.2.69.142"],
    ["/api/pageview", { site: "a.example", pathname: "/pricing" }, "81.2.69.142"],
    ["/api/event", { site: "a.example", pathname: "/pricing", eventName: "signup", customProperties: { plan: "pro" } }, "81.2.69.142"],
    ["/api/pageview", { site: "a.example", pathname: "/blog/=cmd" }, "8.8.8.8"],
    [
      "/api/crash",
      {
        site: "a.example",
        pathname: "/pricing",
        errorType: "TypeError",
        message: "x is undefined",
        stack: "TypeError: x\n    at f (https://a.example/app.js:1:2)",
        release: "1.2.3",
      },
      "8.8.8.8",
    ],
    ["/api/pageview", { site: "b.example", pathname: "/" }, "8.8.8.8"],
  ] as [string, unknown, string][]) {
    expect((await send(path, body, ip)).status).toBe(202);
  }
  await t.waitForRows("pageviews", 4);
  await t.waitForRows("crashes", 1);
  await t.waitForRows("visits", 3);
}, 60_000);
afterAll(() => t.stop());

const query = (body: unknown, headers: Record<string, string> = { authorization: "Bearer reader-a" }, path = "/api/v1/query") =>
  app.handle(new Request(`http://localhost${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }));

describe("POST /api/v1/query", () => {
  test("top stats with the previous period", async () => {
    const res = await query({ site: "a.example", metrics: ["visitors", "visits", "pageviews", "bounce_rate", "events"], date_range: "day", compare: "previous_period" });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.results).toEqual([{ dimensions: [], metrics: [2, 2, 3, 50, 1], comparison: { metrics: [0, 0, 0, 0, 0], change: [null, null, null, 50, null] } }]);
    expect(body.meta).toMatchObject({
      site: "a.example",
      time_zone: "UTC",
      date_range: ["2026-11-10", "2026-11-10"],
      comparison_date_range: ["2026-11-09", "2026-11-09"],
      source: "rollups",
    });
  });

  test("countries come from the client address (GB, US), sources and channels from the first page view", async () => {
    const body = await (await query({ site: "a.example", metrics: ["visitors", "percentage"], date_range: "7d", dimensions: ["country"] })).json();
    expect(body.results).toEqual([
      { dimensions: ["GB"], metrics: [1, 50] },
      { dimensions: ["US"], metrics: [1, 50] },
    ]);
    const ch = await (await query({ site: "a.example", metrics: ["visitors"], date_range: "7d", dimensions: ["channel", "source"] })).json();
    expect(ch.results).toEqual([
      { dimensions: ["direct", null], metrics: [1] },
      { dimensions: ["search", "Google"], metrics: [1] },
    ]);
  });

  test("the daily graph fills empty days; goals and a property", async () => {
    const graph = await (await query({ site: "a.example", metrics: ["pageviews"], date_range: "7d", dimensions: ["time:day"] })).json();
    expect(graph.results.map((r: { metrics: number[] }) => r.metrics[0])).toEqual([0, 0, 0, 0, 0, 0, 3]);
    const goals = await (await query({ site: "a.example", metrics: ["visitors", "events", "conversion_rate"], date_range: "day", dimensions: ["event"] })).json();
    expect(goals.results).toEqual([{ dimensions: ["signup"], metrics: [1, 1, 50] }]);
    const plan = await (await query({ site: "a.example", metrics: ["events"], date_range: "day", dimensions: ["props:plan"], filters: [["is", "event", ["signup"]]] })).json();
    expect(plan.results).toEqual([{ dimensions: ["pro"], metrics: [1] }]);
  });

  test("order, limit and offset", async () => {
    const body = await (
      await query({ site: "a.example", metrics: ["pageviews"], date_range: "day", dimensions: ["page"], order_by: [["page", "asc"]], limit: 1, offset: 1 })
    ).json();
    expect(body.results).toEqual([{ dimensions: ["/blog/=cmd"], metrics: [1] }]);
    expect(body.meta.total_rows).toBe(3);
  });

  test("crashes per day and per release", async () => {
    const body = await (await query({ site: "a.example", metrics: ["crashes", "crash_visitors"], date_range: "day", dimensions: ["release"] })).json();
    expect(body.results).toEqual([{ dimensions: ["1.2.3"], metrics: [1, 1] }]);
  });

  test("realtime: visitors in the last five minutes", async () => {
    const body = await (await query({ site: "a.example", metrics: ["visitors", "pageviews"], date_range: "realtime" })).json();
    expect(body.results[0].metrics).toEqual([2, 3]);
  });

  test("CSV with Accept: text/csv or format=csv; formula-like cells are defused", async () => {
    const res = await query(
      { site: "a.example", metrics: ["pageviews"], date_range: "day", dimensions: ["page"], order_by: [["page", "asc"]] },
      { authorization: "Bearer reader-a", accept: "text/csv" },
    );
    expect(res.headers.get("content-type")).toStartWith("text/csv");
    expect(await res.text()).toBe("page,pageviews\r\n/,1\r\n/blog/=cmd,1\r\n/pricing,1\r\n");
    const res2 = await query({ site: "a.example", metrics: ["visitors"], date_range: "day" }, { authorization: "Bearer reader-a" }, "/api/v1/query?format=csv");
    expect(await res2.text()).toBe("visitors\r\n2\r\n");
  });

  test("bad queries: 400 naming the field", async () => {
    const cases: [unknown, string][] = [
      [{ site: "a.example", metrics: ["visitorz"], date_range: "day" }, "metrics.0"],
      [{ site: "a.example", metrics: ["visitors"], date_range: "day", dimensions: ["colour"] }, "dimensions.0"],
      [{ site: "a.example", metrics: ["visitors"], date_range: "day", limit: 10_001 }, "limit"],
      [{ site: "a.example", metrics: ["visitors"], date_range: "fortnight" }, "date_range"],
      [{ site: "a.example", metrics: ["visitors"], date_range: ["2026-11-05", "2026-11-01"] }, "date_range"],
      [{ site: "a.example", metrics: ["visitors"], date_range: ["2000-01-01", "2026-11-01"] }, "date_range"],
      [{ site: "a.example", metrics: ["visitors", "crashes"], date_range: "day" }, "metrics"],
      [{ site: "a.example", metrics: ["conversion_rate"], date_range: "day" }, "metrics"],
      [{ site: "a.example", metrics: ["visitors"], date_range: "day", filters: [["matches", "page", ["(a+)+$"]]] }, "filters.0.2.0"],
      [{ site: "a.example", metrics: ["visitors"], date_range: "day", filters: [["like", "page", ["x"]]] }, "filters.0.0"],
      [{ site: "a.example", metrics: ["visitors"], date_range: "day", order_by: [["pageviews", "desc"]] }, "order_by.0.0"],
      [{ site: "a.example", metrics: ["visitors"], date_range: ["2025-01-01", "2026-12-31"], dimensions: ["time:hour"] }, "date_range"],
      [{ site: "a.example", metrics: ["visitors"], date_range: "day", surprise: 1 }, "surprise"],
      [{ metrics: ["visitors"], date_range: "day" }, "site"],
    ];
    for (const [body, field] of cases) {
      const res = await query(body);
      const json = await res.json();
      expect({ body, status: res.status, code: json.error?.code }).toEqual({ body, status: 400, code: "invalid_query" });
      expect(json.error.message).toStartWith(`${field}:`);
    }
  });

  test("401 without credentials, 403 for another project's site, 401 when no reader is configured", async () => {
    expect((await query({ site: "a.example", metrics: ["visitors"], date_range: "day" }, {})).status).toBe(401);
    const res = await query({ site: "b.example", metrics: ["visitors"], date_range: "day" });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("forbidden");
    const closed = buildApp(t.runtime.deps);
    const r = await closed.handle(
      new Request("http://localhost/api/v1/query", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer reader-a" },
        body: JSON.stringify({ site: "a.example", metrics: ["visitors"], date_range: "day" }),
      }),
    );
    expect(r.status).toBe(401);
  });
});

describe("/swagger", () => {
  test("documents the Stats API and the export, with the query schema", async () => {
    const spec = await (await app.handle(new Request("http://localhost/swagger/json"))).json();
    const body = spec.paths["/api/v1/query"].post.requestBody.content["application/json"].schema;
    expect(JSON.stringify(body)).toContain("date_range");
    expect(spec.paths["/api/v1/export"].get).toBeDefined();
  });
});

describe("GET /api/v1/export", () => {
  const get = (qs: string, auth = "Bearer reader-a") => app.handle(new Request(`http://localhost/api/v1/export?${qs}`, { headers: { authorization: auth } }));
  test("streams the site's events as JSON lines, with no address or user agent", async () => {
    const res = await get("site=a.example&from=2026-11-10&to=2026-11-10");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("application/x-ndjson");
    const text = await res.text();
    const lines = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type).sort()).toEqual(["crash", "custom_event", "pageview", "pageview", "pageview"]);
    expect(lines.every((l) => l.site === "a.example")).toBe(true);
    expect(text).not.toContain("81.2.69.142");
    expect(text).not.toContain("8.8.8.8");
    expect(text).not.toContain("Mozilla");
  });
  test("bad or forbidden exports", async () => {
    expect((await get("site=a.example&from=2026-11-10")).status).toBe(400);
    expect((await get("site=b.example&from=2026-11-10&to=2026-11-10")).status).toBe(403);
    expect((await get("site=a.example&from=2026-11-10&to=2026-11-10", "")).status).toBe(401);
  });
});
