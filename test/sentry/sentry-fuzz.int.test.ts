import { afterAll, beforeAll, expect, test } from "bun:test";
import zlib from "node:zlib";
import { startTestApp, type TestApp } from "../support/app.ts";
import { until } from "../support/wait.ts";
import { envelope, fullEvent } from "./fixtures.ts";
import { makeProject, type TestProject } from "./helpers.ts";

/**
 * Seeded mutations of real envelopes (cut, spliced, bytes flipped, lengths changed, headers and
 * payloads swapped, compression broken) against the Sentry endpoint. Asserts: never a 5xx, every
 * error has Sentry's and our JSON shape, and each envelope is stored whole or not at all.
 * Reproduce with SENTRY_FUZZ_SEED=…; SENTRY_FUZZ_COUNT=… for more.
 */
const SEED = Number(process.env.SENTRY_FUZZ_SEED ?? 20261122);
const COUNT = Number(process.env.SENTRY_FUZZ_COUNT ?? 400);

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

let t: TestApp;
let p: TestProject;
beforeAll(async () => {
  t = await startTestApp();
  p = await makeProject(t, "Fuzz");
});
afterAll(() => t.stop());

test(`${COUNT} mutated envelopes: no 5xx, all-or-nothing`, async () => {
  const rnd = prng(SEED);
  const int = (n: number) => Math.floor(rnd() * n);
  const enc = new TextEncoder();
  const bases = [
    envelope({ event_id: "ab".repeat(16) }, [
      { header: { type: "event" }, payload: fullEvent(), withLength: true },
      { header: { type: "session" }, payload: { sid: "s", init: true, attrs: { release: "r" } } },
    ]),
    envelope({}, [
      { header: { type: "feedback" }, payload: { contexts: { feedback: { message: "hi" } } } },
      { header: { type: "attachment", length: 4 }, payload: "\u0000\u0001ab" },
    ]),
    envelope({}, [{ header: { type: "sessions" }, payload: { attrs: { release: "r" }, aggregates: [{ started: new Date().toISOString(), exited: 2 }] } }]),
  ].map((s) => enc.encode(s));
  const mutate = (b: Uint8Array): Uint8Array => {
    const c = new Uint8Array(b);
    switch (int(7)) {
      case 0:
        return c.subarray(0, int(c.length));
      case 1:
        for (let i = 0; i < 1 + int(5); i++) c[int(c.length)] = int(256);
        return c;
      case 2: {
        const at = int(c.length);
        return new Uint8Array([...c.subarray(0, at), ...c.subarray(int(c.length))]);
      }
      case 3:
        return enc.encode(new TextDecoder().decode(c).replace(/"length":\d+/, `"length":${int(5000) - 100}`));
      case 4:
        return enc.encode(
          new TextDecoder().decode(c).replace(/"type":"\w+"/, `"type":${JSON.stringify(["event", "session", "sessions", "feedback", "user_report", 7, null, ""][int(8)])}`),
        );
      case 5:
        return enc.encode(new TextDecoder().decode(c).replaceAll("\n", int(2) ? "\r\n" : "\n\n"));
      default:
        return new Uint8Array(zlib.gzipSync(c)).subarray(0, 10 + int(40));
    }
  };
  const statuses = new Map<number, number>();
  for (let i = 0; i < COUNT; i++) {
    const base = bases[int(bases.length)]!;
    const body = mutate(base);
    const gz = body[0] === 0x1f;
    const before = Number((await t.sql`select count(*)::int as n from event_log`)[0]!.n);
    const res = await t.app.handle(
      new Request(`http://localhost/api/${p.id}/envelope/?sentry_key=${p.key}`, {
        method: "POST",
        body: body as Uint8Array<ArrayBuffer>,
        headers: gz ? { "content-encoding": "gzip" } : {},
      }),
    );
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    expect(res.status, `seed ${SEED}, case ${i}`).toBeLessThan(500);
    const json = await res.json();
    if (res.status >= 400) {
      expect(json.error.code).toBeString();
      expect(json.detail).toBeString();
      expect(Number((await t.sql`select count(*)::int as n from event_log`)[0]!.n)).toBe(before);
    } else {
      expect(json.id).toMatch(/^[0-9a-f]{32}$/);
    }
  }
  // Both outcomes happen, so the test exercises both paths.
  expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
  expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
  // Everything accepted projects (no payload fails its contract).
  const [{ logged }] = (await t.sql`select count(*)::int as logged from event_log`) as unknown as [{ logged: number }];
  expect(logged).toBeGreaterThan(0);
  await until(async () => {
    const [r] = await t.sql`select (select count(*) from crashes) + (select count(*) from feedback) + (select count(*) from session_counts) as n`;
    return Number(r!.n) === logged;
  }, "every accepted event projected");
  expect(t.logs.filter((l) => /"level":"error"/.test(l))).toEqual([]);
});
