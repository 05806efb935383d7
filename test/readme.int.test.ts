/**
 * What the README shows about errors is what the app does: its example request gets exactly the
 * answer printed under it, and its table of error codes is ERROR_CODES (src/errors.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ERROR_CODES } from "../src/errors.ts";
import { startTestApp, type TestApp } from "./support/app.ts";

const README = await Bun.file(join(import.meta.dir, "..", "README.md")).text();
const block = (name: string) => {
  const m = new RegExp(`<!-- ${name}[^>]*-->\\n([\\s\\S]*?)<!-- /${name} -->`).exec(README);
  if (!m) throw new Error(`README has no <!-- ${name} --> block`);
  return m[1]!;
};

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ delivery: false });
});
afterAll(() => t.stop());

describe("README", () => {
  test("the example error is the app's real answer", async () => {
    const example = block("example:error");
    const url = /curl -s (\S+)/.exec(example)![1]!;
    const body = /-d '([^']*)'/.exec(example)![1]!;
    const status = Number(/# HTTP (\d{3})/.exec(example)![1]);
    const printed = /^(\{"error".*)$/m.exec(example)![1]!;
    const res = await t.app.handle(new Request(url, { method: "POST", headers: { "content-type": "application/json", "user-agent": "curl/8.5.0" }, body }));
    expect(res.status).toBe(status);
    expect(await res.text()).toBe(printed);
  });

  test("the table of error codes is ERROR_CODES", () => {
    const rows = [...block("error-codes").matchAll(/^\| `(\w+)` \| (\d{3}) \| (.*) \|$/gm)].map((m) => `| \`${m[1]}\` | ${m[2]} | ${m[3]} |`);
    const expected = Object.entries(ERROR_CODES).map(([code, e]) => `| \`${code}\` | ${e.status} | ${e.meaning} |`);
    // On failure, paste the expected rows into README.md between the error-codes markers.
    expect(rows.join("\n")).toBe(expected.join("\n"));
  });
});
