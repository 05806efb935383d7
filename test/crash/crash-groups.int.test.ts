import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "../support/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

/** One bug as two deploys report it: other bundle hash, other line numbers, other user id. */
const deploy = (hash: string, line: number, userId: number, release: string) => ({
  site: "app.example",
  errorType: "TypeError",
  message: `Cannot read properties of undefined (reading 'email') for user ${userId}`,
  stack: [
    `TypeError: Cannot read properties of undefined (reading 'email') for user ${userId}`,
    `    at renderProfile (https://app.example/assets/main.${hash}.js:${line}:17)`,
    `    at async loadPage (https://app.example/assets/main.${hash}.js:${line + 40}:5)`,
    `    at Array.map (<anonymous>)`,
  ].join("\n"),
  release,
  platform: "web",
});

const otherBug = {
  site: "app.example",
  errorType: "RangeError",
  message: "Maximum call stack size exceeded",
  stack: "RangeError: Maximum call stack size exceeded\n    at walkTree (https://app.example/assets/main.aaaa1111.js:900:3)",
  release: "1.0.0",
};

async function groups() {
  return t.sql`select id, error_type, occurrences, affected_visitors, releases, platforms, status from crash_groups order by error_type`;
}

describe("crash grouping", () => {
  test("the same bug across two deploys → one group; another bug → another group", async () => {
    expect((await t.post("/api/crash", deploy("3f9a2c1b", 120, 1001, "1.0.0"), { ip: "10.1.1.1" })).status).toBe(202);
    expect((await t.post("/api/crash", deploy("8d7e6f5a", 131, 2002, "1.1.0"), { ip: "10.1.1.2" })).status).toBe(202);
    expect((await t.post("/api/crash", deploy("8d7e6f5a", 131, 2002, "1.1.0"), { ip: "10.1.1.2" })).status).toBe(202);
    expect((await t.post("/api/crash", otherBug, { ip: "10.1.1.1" })).status).toBe(202);
    expect(await t.waitForRows("crashes", 4)).toBe(4);
    const g = await groups();
    expect(g.length).toBe(2);
    expect(g.find((r) => r.error_type === "TypeError")).toMatchObject({ occurrences: 3, affected_visitors: 2, releases: ["1.0.0", "1.1.0"], platforms: ["web"], status: "new" });
    expect(g.find((r) => r.error_type === "RangeError")).toMatchObject({ occurrences: 1, affected_visitors: 1 });
    const refs = await t.sql`select count(*)::int as n from crashes c join crash_groups g on g.id = c.group_id`;
    expect(refs[0]!.n).toBe(4);
  });

  test("a client fingerprint groups what the stack would not", async () => {
    const a = await t.post("/api/crash", { site: "app.example", errorType: "NetworkError", message: "fetch failed: /a", fingerprint: ["network", "api"] });
    const b = await t.post("/api/crash", { site: "app.example", errorType: "TimeoutError", message: "took too long", fingerprint: ["network", "api"] });
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(await t.waitForRows("crashes", 6)).toBe(6);
    const [row] = await t.sql`select occurrences from crash_groups g where exists (select 1 from crashes c where c.group_id = g.id and c.error_type = 'TimeoutError')`;
    expect(row!.occurrences).toBe(2);
  });

  test("a message with an email, an IP, a token and a card number is stored with placeholders only", async () => {
    const secrets = ["jane.doe@example.org", "203.0.113.99", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "4111 1111 1111 1111"];
    const res = await t.post("/api/crash", {
      site: "app.example",
      errorType: "AuthError",
      message: `login failed for ${secrets[0]} from ${secrets[1]} with key ${secrets[2]} card ${secrets[3]}`,
      stack: `AuthError: x\n    at login (https://app.example/assets/main.js?token=abc123:10:5)\n    at /home/jane/app/server.js:5:1`,
      breadcrumbs: [{ message: `clicked as ${secrets[0]}` }],
      context: { note: `ip ${secrets[1]}` },
    });
    expect(res.status).toBe(202);
    expect(await t.waitForRows("crashes", 7)).toBe(7);
    const [crash] = await t.sql`select * from crashes where error_type = 'AuthError'`;
    const stored = JSON.stringify(crash) + JSON.stringify(await t.sql`select * from crash_groups`) + JSON.stringify(await t.sql`select payload from event_log`);
    for (const s of [...secrets, "abc123", "/home/jane"]) expect(stored).not.toContain(s);
    expect(crash!.message).toContain("<email>");
    expect(crash!.message).toContain("<ip>");
  });

  test("redelivery and a full replay of the log leave every group's counts unchanged", async () => {
    const before = await groups();
    const crashesBefore = (await t.sql`select count(*)::int as n from crashes`)[0]!.n;
    // Same events delivered twice through the handlers…
    const events = await t.sql`select flow_type as "flowType", event_type as "eventType", payload from event_log where event_type = 'crash.reported.v0' order by seq`;
    await t.runtime.deps.projector.project(events as never);
    await t.runtime.deps.projector.project(events as never);
    // …and the delivery loop replaying the whole log from the first event.
    await t.runtime.delivery!.stop();
    await t.sql`update projection_cursor set position = 0`;
    while ((await t.runtime.delivery!.step()) > 0);
    expect(await groups()).toEqual(before);
    expect((await t.sql`select count(*)::int as n from crashes`)[0]!.n).toBe(crashesBefore);
  });
});
