/**
 * "Is release b newer than release a?" for "resolved in next release". Releases are free-form
 * strings; most are semver-ish, so this is the order used:
 *
 * - An optional package prefix up to the last `@` (`my-app@1.2.3`, as Sentry SDKs send) must be
 *   the same on both sides; a leading `v` is ignored.
 * - The version is dot-separated numbers (any count: `2`, `1.4`, `2026.11.22`, `1.2.3.4`; missing
 *   parts count as 0), then an optional `-prerelease` (ordered as semver orders it, and older
 *   than the release without one), then an optional `+build` (compared only when both builds
 *   are whole numbers, as mobile build numbers are: `1.2.3+45` < `1.2.3+46`).
 * - Anything else (a git SHA, a name) has no order: such a release counts as newer whenever it
 *   differs from the resolved one, so a deploy of a new SHA reopens the group.
 */
export function isNewerRelease(candidate: string, resolvedIn: string): boolean {
  if (candidate === resolvedIn) return false;
  const c = compareReleases(candidate, resolvedIn);
  return c === null ? true : c > 0;
}

interface Parsed {
  pkg: string;
  nums: number[];
  pre: string[] | null;
  build: string | null;
}

const VERSION = /^v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;

export function parseRelease(s: string): Parsed | null {
  const at = s.lastIndexOf("@");
  const pkg = at > 0 ? s.slice(0, at) : "";
  const m = VERSION.exec(at > 0 ? s.slice(at + 1) : s);
  if (!m) return null;
  const nums = m[1]!.split(".").map(Number);
  if (nums.some((n) => !Number.isSafeInteger(n))) return null;
  return { pkg, nums, pre: m[2] ? m[2].split(".") : null, build: m[3] ?? null };
}

/** <0, 0, >0 as a is older, the same, newer than b; null when the two cannot be ordered. */
export function compareReleases(a: string, b: string): number | null {
  const x = parseRelease(a);
  const y = parseRelease(b);
  if (!x || !y || x.pkg !== y.pkg) return null;
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  const pre = comparePrerelease(x.pre, y.pre);
  if (pre !== 0) return pre;
  if (x.build && y.build && /^\d+$/.test(x.build) && /^\d+$/.test(y.build)) return Math.sign(Number(x.build) - Number(y.build));
  return 0;
}

function comparePrerelease(a: string[] | null, b: string[] | null): number {
  if (!a || !b) return a ? -1 : b ? 1 : 0; // 1.0.0-rc.1 < 1.0.0
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const p = a[i];
    const q = b[i];
    if (p === undefined) return -1; // fewer identifiers: older
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) {
      const d = Number(p) - Number(q);
      if (d !== 0) return Math.sign(d);
    } else if (pn !== qn)
      return pn ? -1 : 1; // numeric identifiers sort before alphanumeric
    else if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}
