import { buildFrame, type StackFrame } from "../frame.ts";
import { capInnermost, exceptionOf, stackLines, type ParsedStack, type StackException, type StackParser } from "./types.ts";

/**
 * CPython tracebacks, as `traceback.print_exc()` and an uncaught exception print them:
 *
 *   Traceback (most recent call last):
 *     File "/srv/app/main.py", line 10, in <module>
 *       main()
 *   ValueError: bad
 *
 * Frames are printed outermost first; we return them innermost first. With chained exceptions
 * ("During handling of the above exception…", "The above exception was the direct cause…") the
 * last traceback is the one that was raised, so it is the one we keep.
 */

const HEADER = /^\s*(?:Exception Group )?Traceback \(most recent call last\):\s*$/;
/** `File "x.py", line 3, in f`; SyntaxError frames have no ", in f"; some tools drop `File "…", `. */
const FRAME = /^\s+(?:File "(.*)", )?line (\d+)(?:, in (.+?))?\s*$/;
/** `ValueError: bad`, `KeyError: 'x'`, `StopIteration`, `requests.exceptions.HTTPError: 404`. */
const EXCEPTION_LINE = /^([A-Za-z_][\w.]*)(?::(?: (.*))?)?$/;
const CHAIN_SEPARATOR = /^(During handling of the above exception|The above exception was the direct cause)/;

/** Standard library, installed packages and frozen/generated code are not the app's. */
function isInApp(file: string | null): boolean {
  if (file === null || file.startsWith("<")) return false;
  return !(/[\\/](?:site|dist)-packages[\\/]/i.test(file) || /[\\/]lib[\\/]python\d(?:\.\d+)?[\\/]/i.test(file) || /[\\/]Python\d+(?:-32)?[\\/]Lib[\\/]/i.test(file));
}

interface Block {
  frames: StackFrame[];
  exception: StackException | null;
}

function parseBlock(lines: string[], start: number): { block: Block; next: number } {
  const outermostFirst: StackFrame[] = [];
  let i = start;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const frame = FRAME.exec(line);
    if (frame) {
      const [, file = null, lineNo, fn = null] = frame;
      outermostFirst.push(buildFrame({ file, function: fn, line: Number(lineNo), column: null, inApp: isInApp(file) }));
      continue;
    }
    // Source lines, "~~~^^^" carets and "[Previous line repeated N more times]" are indented.
    if (line.trim() === "" || /^\s/.test(line)) continue;
    break;
  }
  let exception: StackException | null = null;
  const head = EXCEPTION_LINE.exec((lines[i] ?? "").trimEnd());
  if (head && !HEADER.test(lines[i] ?? "")) {
    const messageLines = [head[2] ?? ""];
    // Messages may span lines; they end at a blank line or the next traceback.
    for (i++; i < lines.length; i++) {
      const line = lines[i] ?? "";
      if (line.trim() === "" || HEADER.test(line) || CHAIN_SEPARATOR.test(line)) break;
      messageLines.push(line);
    }
    exception = exceptionOf(head[1] ?? "", messageLines.join("\n"));
  }
  return { block: { frames: outermostFirst.reverse(), exception }, next: i };
}

/**
 * Python 3.11+ exception groups print the group's traceback behind "  | " and each
 * sub-exception one level deeper, after "+-+---- 1 ----":
 *
 *     + Exception Group Traceback (most recent call last):
 *     |   File "/srv/app/main.py", line 9, in <module>
 *     | ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)
 *     +-+---------------- 1 ----------------
 *       | Traceback (most recent call last):
 *       |   File "/srv/app/jobs.py", line 4, in fetch
 *       | ValueError: bad
 *
 * The first sub-exception is where the failure happened (the group only collects), so, as with
 * a Java root cause, its frames come first, then the group's, and it names the exception.
 */
const GROUP_HEADER = /^( *)\+ Exception Group Traceback \(most recent call last\):\s*$/;

function unprefixed(lines: string[], from: number, prefix: string): { lines: string[]; next: number } {
  const out: string[] = [];
  let i = from;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line === prefix.trimEnd()) out.push("");
    else if (line.startsWith(prefix)) out.push(line.slice(prefix.length));
    else break;
  }
  return { lines: out, next: i };
}

function parseExceptionGroup(lines: string[]): Block | null {
  const start = lines.findIndex((line) => GROUP_HEADER.test(line));
  if (start < 0) return null;
  const pad = GROUP_HEADER.exec(lines[start] ?? "")?.[1] ?? "";
  const group = unprefixed(lines, start + 1, `${pad}| `);
  const groupBlock = parseBlock(group.lines, 0).block;
  let sub: Block | null = null;
  if ((lines[group.next] ?? "").startsWith(`${pad}+-`)) {
    const first = unprefixed(lines, group.next + 1, `${pad}  | `).lines;
    const header = first.findIndex((line) => HEADER.test(line));
    sub = parseBlock(first, header >= 0 ? header + 1 : 0).block;
  }
  return {
    frames: [...(sub?.frames ?? []), ...groupBlock.frames],
    exception: sub?.exception ?? groupBlock.exception,
  };
}

function parse(text: string): ParsedStack {
  const lines = stackLines(text);
  const group = parseExceptionGroup(lines);
  if (group) return { platform: "python", frames: capInnermost(group.frames), exception: group.exception };
  let last: Block | null = null;
  const headers = lines.flatMap((line, index) => (HEADER.test(line) ? [index] : []));
  if (headers.length > 0) {
    // Walk every block so a later, truncated one (no frames) does not hide an earlier complete one.
    for (const index of headers) {
      const { block } = parseBlock(lines, index + 1);
      if (block.frames.length > 0 || last === null || block.exception) last = block;
    }
  } else {
    // A bare frame list (a logger that dropped the header): start at the first frame line.
    const first = lines.findIndex((line) => FRAME.test(line) && line.includes('File "'));
    if (first >= 0) last = parseBlock(lines, first).block;
  }
  return { platform: "python", frames: capInnermost(last?.frames ?? []), exception: last?.exception ?? null };
}

/** "/srv/releases/2024-05-01/app/views.py" → "app/views.py"; installed packages by import path. */
function moduleOf(file: string): string {
  const parts = file.split(/[\\/]+/).filter((part) => part !== "");
  const packages = parts.findIndex((part) => /^(?:site|dist)-packages$/i.test(part));
  if (packages >= 0) return parts.slice(packages + 1).join("/");
  const base = parts[parts.length - 1] ?? file;
  const parent = parts[parts.length - 2];
  // Release directories ("app-1.4.2", "20240501", "3f9a2c1b") change on every deploy.
  if (parent === undefined || /\d+[._-]\d+|^\d+$|^[0-9a-f]{7,40}$/i.test(parent)) return base;
  return `${parent}/${base}`;
}

export const pythonParser: StackParser = {
  platform: "python",
  recognises: (lines) => lines.some((line) => HEADER.test(line) || GROUP_HEADER.test(line) || /^[\s|]+File ".*", line \d+, in /.test(line)),
  parse,
  groupingKey: (frame) => (frame.function === null ? null : `${frame.file === null ? "?" : moduleOf(frame.file)}:${frame.function}`),
};
