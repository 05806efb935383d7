import { describe, expect, test } from "bun:test";
import { confirmRebuild } from "../../src/cli/flowcore.ts";

/** --rebuild erases tables: it says so, and asks (or needs --yes where it cannot ask). */
function io(isTTY: boolean, answer: string | null = null) {
  const said: string[] = [];
  const asked: string[] = [];
  return { said, asked, io: { isTTY, say: (l: string) => said.push(l), ask: async (q: string) => (asked.push(q), answer) } };
}

describe("confirmRebuild", () => {
  test("not a terminal, no --yes: names the tables, refuses, asks nothing", async () => {
    const t = io(false);
    expect(await confirmRebuild(false, t.io)).toBe(false);
    expect(t.said.join("\n")).toContain("erases every row of pageviews, visits, rollups_daily, rollups_filtered, sealed_days, custom_events, crashes, crash_groups");
    expect(t.said.join("\n")).toContain("--yes");
    expect(t.asked).toEqual([]);
  });
  test("--yes: names the tables and goes ahead without asking", async () => {
    const t = io(false);
    expect(await confirmRebuild(true, t.io)).toBe(true);
    expect(t.said[0]).toContain("crash_groups");
    expect(t.asked).toEqual([]);
  });
  test("on a terminal: only a typed yes continues", async () => {
    expect(await confirmRebuild(false, io(true, "yes").io)).toBe(true);
    expect(await confirmRebuild(false, io(true, " YES ").io)).toBe(true);
    expect(await confirmRebuild(false, io(true, "y").io)).toBe(false);
    expect(await confirmRebuild(false, io(true, null).io)).toBe(false);
  });
});
