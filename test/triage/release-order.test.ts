import { describe, expect, test } from "bun:test";
import { compareReleases, isNewerRelease } from "../../src/triage/release-order.ts";
import { deriveStatus, type TriageDecision } from "../../src/triage/derive-status.ts";

describe("release order for 'resolved in next release'", () => {
  test.each([
    ["1.10.0", "1.9.0", 1],
    ["1.2", "1.2.0", 0],
    ["v2.0.0", "1.99.99", 1],
    ["1.0.0-rc.1", "1.0.0", -1],
    ["1.0.0-alpha.2", "1.0.0-alpha.10", -1],
    ["1.0.0-alpha", "1.0.0-alpha.1", -1],
    ["1.0.0-beta", "1.0.0-alpha.9", 1],
    ["my-app@1.2.3+46", "my-app@1.2.3+45", 1],
    ["2026.11.22", "2026.9.30", 1],
  ] as const)("%s vs %s → %d", (a, b, want) => {
    expect(compareReleases(a, b)).toBe(want);
    expect(compareReleases(b, a)).toBe(-want || 0);
  });

  test("releases that cannot be ordered (SHAs, other packages) count as newer only when they differ", () => {
    expect(compareReleases("a1b2c3d", "1.0.0")).toBeNull();
    expect(compareReleases("web@1.0.0", "ios@1.0.0")).toBeNull();
    expect(isNewerRelease("9f8e7d6", "a1b2c3d")).toBe(true);
    expect(isNewerRelease("a1b2c3d", "a1b2c3d")).toBe(false);
    expect(isNewerRelease("1.0.0", "1.0.1")).toBe(false);
  });
});

describe("deriveStatus", () => {
  const d = (over: Partial<TriageDecision>): TriageDecision => ({
    status: "resolved",
    changedAt: new Date(1000),
    eventId: "e",
    resolvedInRelease: null,
    ignoreUntil: null,
    ignoreCount: null,
    deletedBefore: null,
    ...over,
  });
  const since = (release: string | null, firstAt: number, count = 1) => ({ release, firstAt: new Date(firstAt), lastAt: new Date(firstAt), count });

  test("the earliest qualifying crash names the regression; equal times pick the same release in any order", () => {
    const a = deriveStatus(d({}), [since("2.0", 5000), since("1.5", 3000), since("1.6", 3000)]);
    const b = deriveStatus(d({}), [since("1.6", 3000), since("2.0", 5000), since("1.5", 3000)]);
    expect(a).toEqual({ status: "regressed", regressedAt: new Date(3000), regressedRelease: "1.5" });
    expect(b).toEqual(a);
  });

  test("next release: a crash without a release never regresses", () => {
    expect(deriveStatus(d({ resolvedInRelease: "1.0" }), [since(null, 2000, 50), since("0.9", 2000)]).status).toBe("resolved");
  });

  test("no decision is new; ongoing stays ongoing whatever happens", () => {
    expect(deriveStatus(d({ status: null }), []).status).toBe("new");
    expect(deriveStatus(d({ status: "ongoing" }), [since("9", 9000)]).status).toBe("ongoing");
  });
});
