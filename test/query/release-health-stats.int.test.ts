import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createProject } from "../../src/accounts/projects.ts";
import { buildApp } from "../../src/app.ts";
import { AppError } from "../../src/errors.ts";
import type { Authorise } from "../../src/http/query-routes.ts";
import { envelope } from "../sentry/fixtures.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { until } from "../support/wait.ts";

// Release health through the Stats API: Sentry `session` and `sessions` items in through the
// envelope endpoint, crash-free rates per release out of POST /api/v1/query. The authoriser
// stands in for accounts' reader.
const NOW = new Date("2026-11-10T12:00:00Z");
let t: TestApp;
let app: ReturnType<typeof buildApp>;
let project: { id: number; key: string };
const authorise: Authorise = async (request) => {
  if (request.headers.get("authorization") !== "Bearer reader") throw new AppError(401, "invalid_token", "unknown token");
  return { canRead: async (site) => site === "app.example" || site === "mobile-app" || site === "beta.app.example" };
};

const sendEnvelope = (items: { header: Record<string, unknown>; payload: unknown }[]) =>
  app.handle(
    new Request(`http://localhost/api/${project.id}/envelope/?sentry_key=${project.key}`, {
      method: "POST",
      headers: { "user-agent": "sentry.javascript.node/10.78.0", "x-forwarded-for": "198.51.100.23" },
      body: envelope({}, items),
    }),
  );
/** One session's updates as an SDK sends them: start, then its end. */
const session = (sid: string, release: string, started: string, end: "exited" | "crashed" | "errored" | "abnormal", environment = "production") => [
  { header: { type: "session" }, payload: { sid, started, init: true, status: "ok", errors: 0, attrs: { release, environment } } },
  { header: { type: "session" }, payload: { sid, started, init: false, status: end, errors: end === "errored" ? 1 : 0, attrs: { release, environment } } },
];
const query = (body: Record<string, unknown>) =>
  app.handle(
    new Request("http://localhost/api/v1/query", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer reader" },
      body: JSON.stringify({ site: "app.example", date_range: "7d", ...body }),
    }),
  );

beforeAll(async () => {
  t = await startTestApp({ clock: () => NOW });
  app = buildApp({ ...t.runtime.deps, authoriseReader: authorise });
  const deps = t.runtime.deps;
  // Berlin: 2026-11-09T23:30Z is 00:30 on the 10th there.
  project = await createProject(
    { sql: deps.database.sql, ensureSchema: deps.ensureSchema },
    { name: "Mobile app", slug: "mobile-app", domains: ["app.example", "beta.app.example"], timezone: "Europe/Berlin" },
    { name: "Default key" },
  );
  const at = (iso: string) => new Date(iso).toISOString();
  // 1.0.0: 4 sessions on the 9th (Berlin), one crashed, one errored → 75 % crash-free.
  // 1.1.0: 5 sessions (3 by the aggregate item, 1 on the 10th), one crashed, one abnormal → 80 %.
  // 1.1.0 staging: 2 sessions, both crashed → 0 %.
  const items = [
    ...session("s1", "app@1.0.0", at("2026-11-09T08:10:00Z"), "exited"),
    ...session("s2", "app@1.0.0", at("2026-11-09T09:20:00Z"), "crashed"),
    ...session("s3", "app@1.0.0", at("2026-11-09T09:40:00Z"), "errored"),
    ...session("s4", "app@1.0.0", at("2026-11-09T10:00:00Z"), "exited"),
    ...session("s5", "app@1.1.0", at("2026-11-09T23:30:00Z"), "abnormal"),
    ...session("s6", "app@1.1.0", at("2026-11-09T11:00:00Z"), "exited"),
    ...session("s7", "app@1.1.0", at("2026-11-10T09:00:00Z"), "crashed", "staging"),
    ...session("s8", "app@1.1.0", at("2026-11-10T09:10:00Z"), "crashed", "staging"),
  ];
  for (let i = 0; i < items.length; i += 4) expect((await sendEnvelope(items.slice(i, i + 4))).status).toBe(200);
  // Server-mode SDKs send aggregates: 3 sessions started in one minute, one of them crashed.
  const aggregates = {
    header: { type: "sessions" },
    payload: { attrs: { release: "app@1.1.0", environment: "production" }, aggregates: [{ started: at("2026-11-10T10:05:00Z"), exited: 2, crashed: 1 }] },
  };
  expect((await sendEnvelope([aggregates])).status).toBe(200);
  // A crash event per release, so `crashes` by `release` answers beside the sessions.
  for (const [i, release] of ["app@1.0.0", "app@1.1.0", "app@1.1.0"].entries()) {
    const event_id = `${i}`.repeat(32);
    expect((await sendEnvelope([{ header: { type: "event" }, payload: { event_id, release, message: `boom ${i}`, request: { url: "https://app.example/home" } } }])).status).toBe(
      200,
    );
  }
  await until(async () => Number((await t.sql`select coalesce(sum(started), 0)::int as n from release_health`)[0]!.n) === 11, "11 sessions in release_health");
  await t.waitForRows("crashes", 3);
}, 60_000);
afterAll(() => t.stop());

describe("release health in the Stats API", () => {
  test("crash-free sessions per release, counted from real session items", async () => {
    const res = await query({ metrics: ["sessions", "crashed_sessions", "errored_sessions", "abnormal_sessions", "crash_free_rate"], dimensions: ["release"] });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.meta).toMatchObject({ source: "release_health", time_zone: "Europe/Berlin", date_range: ["2026-11-04", "2026-11-10"] });
    // errored includes the crashed and abnormal ones, as Sentry counts them.
    expect(body.results).toEqual([
      { dimensions: ["app@1.1.0"], metrics: [7, 3, 4, 1, 57.14] },
      { dimensions: ["app@1.0.0"], metrics: [4, 1, 2, 0, 75] },
    ]);
  });

  test("by release and environment, with a filter, and any site of the project answers", async () => {
    const res = await query({ site: "mobile-app", metrics: ["crash_free_rate", "sessions"], dimensions: ["release", "environment"], order_by: [["environment", "asc"]] });
    expect((await res.json()).results).toEqual([
      { dimensions: ["app@1.0.0", "production"], metrics: [75, 4] },
      { dimensions: ["app@1.1.0", "production"], metrics: [80, 5] },
      { dimensions: ["app@1.1.0", "staging"], metrics: [0, 2] },
    ]);
    const prod = await query({ site: "beta.app.example", metrics: ["crash_free_rate"], filters: [["is", "environment", ["production"]]] });
    // 9 production sessions, 2 crashed.
    expect((await prod.json()).results).toEqual([{ dimensions: [], metrics: [77.78] }]);
  });

  test("per day in the project's time zone; a day without sessions has no rate", async () => {
    const res = await query({ metrics: ["sessions", "crash_free_rate"], dimensions: ["time:day"], date_range: ["2026-11-08", "2026-11-10"] });
    expect((await res.json()).results).toEqual([
      { dimensions: ["2026-11-08"], metrics: [0, null] },
      { dimensions: ["2026-11-09"], metrics: [5, 80] },
      // s5 started 23:30 UTC on the 9th: the 10th in Berlin.
      { dimensions: ["2026-11-10"], metrics: [6, 50] },
    ]);
    const none = await query({ metrics: ["sessions", "crash_free_rate"], date_range: ["2026-10-01", "2026-10-02"] });
    expect((await none.json()).results).toEqual([{ dimensions: [], metrics: [0, null] }]);
  });

  test("crashes per release come from the crash reports", async () => {
    const res = await query({ metrics: ["crashes"], dimensions: ["release"] });
    expect((await res.json()).results).toEqual([
      { dimensions: ["app@1.1.0"], metrics: [2] },
      { dimensions: ["app@1.0.0"], metrics: [1] },
    ]);
  });

  test("release health metrics cannot be mixed, compared, realtime, or broken down by another dimension", async () => {
    for (const [body, field, words] of [
      [{ metrics: ["crash_free_rate", "crashes"] }, "metrics", "cannot be mixed"],
      [{ metrics: ["sessions", "visitors"] }, "metrics", "cannot be mixed"],
      [{ metrics: ["sessions"], compare: "previous_period" }, "compare", "not compared"],
      [{ metrics: ["sessions"], date_range: "realtime" }, "date_range", "realtime"],
      [{ metrics: ["crash_free_rate"], dimensions: ["page"] }, "dimensions.0", 'unknown dimension "page" for release health metrics (known: release, environment, time:*)'],
      [{ metrics: ["sessions"], filters: [["is", "country", ["DE"]]] }, "filters.0.1", 'cannot filter on "country"'],
      [{ metrics: ["crashes"], dimensions: ["environment"] }, "dimensions.0", 'unknown dimension "environment" for crash metrics'],
    ] as const) {
      const res = await query(body);
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect(error.code).toBe("invalid_query");
      expect(error.message.startsWith(`${field}:`)).toBe(true);
      expect(error.message).toContain(words);
    }
  });

  test("CSV export of release health", async () => {
    const res = await query({ metrics: ["sessions", "crash_free_rate"], dimensions: ["release"], format: "csv" });
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect((await res.text()).trim().split(/\r?\n/)).toEqual(["release,sessions,crash_free_rate", "app@1.1.0,7,57.14", "app@1.0.0,4,75"]);
  });
});
