/**
 * `bun run test:unit`: the fast tier only — every `*.test.ts` under test/ that is neither
 * `*.int.test.ts` (real PostgreSQL or processes) nor `*.e2e.test.ts` (Chromium).
 */
const files = [...new Bun.Glob("test/**/*.test.ts").scanSync(".")].filter((f) => !f.endsWith(".int.test.ts") && !f.endsWith(".e2e.test.ts")).sort();
const proc = Bun.spawn([process.execPath, "test", ...files.map((f) => `./${f}`), ...process.argv.slice(2)], { stdio: ["inherit", "inherit", "inherit"] });
process.exit(await proc.exited);
