import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Reads a real stack sample from test/crash/fixtures/<platform>/<name> (see the README there). */
export function fixture(path: string): string {
  return readFileSync(join(import.meta.dir, "fixtures", path), "utf8");
}

/** The same crash from another build: every number matched by `pattern` moved by `delta`. */
export function shiftNumbers(text: string, pattern: RegExp, delta: number): string {
  return text.replace(pattern, (match, n: string) => match.replace(n, String(Number(n) + delta)));
}
