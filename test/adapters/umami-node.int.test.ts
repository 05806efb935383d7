/** `@umami/node`, unchanged, pointed at our API: its events land under the mapped site. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Umami } from "@umami/node";
import { startTestApp, type TestApp } from "../support/app.ts";
import { until } from "../support/wait.ts";

const WEBSITE = "5f0b7c1e-2a3d-4e5f-8a9b-0c1d2e3f4a5b";
let t: TestApp;
let api: string;
beforeAll(async () => {
  t = await startTestApp({ env: { UMAMI_WEBSITES: `${WEBSITE}=node-app.example` } });
  t.app.listen({ port: 0, hostname: "127.0.0.1" });
  api = `http://127.0.0.1:${t.app.server!.port}`;
});
afterAll(async () => {
  await t.app.stop(true);
  await t.stop();
});

test("track(name, data) and track({url, title}) → a custom event and a page view; identify stores nothing", async () => {
  const umami = new Umami();
  umami.init({ websiteId: WEBSITE, hostUrl: api });
  const res = await umami.track("signup", { plan: "pro" });
  expect(res.status).toBe(200);
  expect(typeof (await res.json()).cache).toBe("string");
  expect((await umami.track({ url: "/docs/install", title: "Install" })).status).toBe(200);
  expect((await umami.identify({ email: "person@node-app.example" })).status).toBe(200);
  const [ev] = await until(async () => {
    const r = await t.sql`select * from custom_events where site = 'node-app.example'`.catch(() => []);
    return r.length ? r : null;
  }, "custom event");
  expect(ev).toMatchObject({ event_name: "signup", properties: { plan: "pro" } });
  const [pv] = await until(async () => {
    const r = await t.sql`select * from pageviews where site = 'node-app.example'`.catch(() => []);
    return r.length ? r : null;
  }, "page view");
  expect(pv).toMatchObject({ pathname: "/docs/install", title: "Install" });
  const log = await t.sql`select payload::text as p from event_log`;
  expect(log.map((r) => r.p).join("\n")).not.toContain("person@node-app.example");
});
