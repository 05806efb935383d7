import { MAX_PATTERN } from "./shape.ts";

/**
 * `matches` takes a regular expression, bounded so that one query cannot tie up the database:
 * at most MAX_PATTERN characters, no back-references or look-around (the constructs that make
 * matching super-linear), no nested quantifiers such as (a+)+, and it must compile. PostgreSQL
 * evaluates it (`~`), and every query also runs under a statement timeout.
 * Returns null when the pattern is acceptable, else the reason.
 */
export function unsafePatternReason(pattern: string): string | null {
  if (pattern.length === 0) return "the pattern is empty";
  if (pattern.length > MAX_PATTERN) return `the pattern is longer than ${MAX_PATTERN} characters`;
  if (/\\[1-9k]/.test(pattern)) return "back-references are not allowed";
  if (/\(\?[=!<]/.test(pattern)) return "look-around is not allowed";
  if (/\([^()]*[+*}][^()]*\)[+*{]/.test(pattern)) return "nested quantifiers such as (a+)+ are not allowed";
  try {
    new RegExp(pattern);
  } catch {
    return "the pattern does not compile";
  }
  return null;
}
