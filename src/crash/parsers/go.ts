import { buildFrame, type StackFrame } from "../frame.ts";
import { capInnermost, exceptionOf, stackLines, type ParsedStack, type StackException, type StackParser } from "./types.ts";

/**
 * Go panics and `debug.Stack()` output:
 *
 *   panic: runtime error: index out of range [5] with length 3
 *
 *   goroutine 1 [running]:
 *   main.lookup(...)
 *   	/srv/app/main.go:12
 *   main.main()
 *   	/srv/app/main.go:20 +0x1d
 *
 * The panicking goroutine is printed first and innermost first; with GOTRACEBACK=all the other
 * goroutines follow and are ignored. "created by" names where the goroutine was started; it is
 * kept as the outermost frame because it tells two otherwise identical workers apart.
 */

/** Top-level standard-library packages; a module path always has a dot in its first element. */
const STDLIB = new Set(
  (
    "archive bufio builtin bytes cmp compress container context crypto database debug embed encoding errors " +
    "expvar flag fmt go hash html image index internal io iter log maps math mime net os path plugin reflect " +
    "regexp runtime slices sort strconv strings sync syscall testing text time unicode unique unsafe weak"
  ).split(" "),
);

const GOROUTINE = /^goroutine \d+ \[[^\]]*\]:\s*$/;
const FILE_LINE = /^\s+(\S.*?):(\d+)(?:\s+\+0x[0-9a-f]+)?(?:\s+fp=0x[0-9a-f]+\s+sp=0x[0-9a-f]+(?:\s+pc=0x[0-9a-f]+)?)?\s*$/;

/** "github.com/acme/api/store.(*DB).Get" → "github.com/acme/api/store". */
export function goPackageOf(fn: string): string {
  const slash = fn.lastIndexOf("/");
  const afterSlash = fn.slice(slash + 1);
  const dot = afterSlash.indexOf(".");
  return fn.slice(0, slash + 1) + (dot >= 0 ? afterSlash.slice(0, dot) : afterSlash);
}

function isInApp(fn: string, file: string): boolean {
  if (/[\\/]pkg[\\/]mod[\\/]|[\\/]vendor[\\/]/.test(file)) return false;
  const pkg = goPackageOf(fn);
  const first = pkg.split("/")[0] ?? "";
  return !(pkg === "runtime" || pkg.startsWith("runtime/") || (STDLIB.has(first) && !first.includes(".")));
}

/** "main.(*T).f(0xc000010000, {0x4b2c3e, 0x5})" → "main.(*T).f": drop the trailing argument list. */
function functionName(line: string): string {
  let text = line
    .trim()
    .replace(/^created by\s+/, "")
    .replace(/\s+in goroutine \d+$/, "");
  if (text.endsWith(")")) {
    let depth = 0;
    for (let i = text.length - 1; i >= 0; i--) {
      if (text[i] === ")") depth++;
      else if (text[i] === "(" && --depth === 0) {
        text = text.slice(0, i);
        break;
      }
    }
  }
  return text;
}

function parseException(lines: string[]): StackException | null {
  for (const line of lines) {
    const match = /^(panic|fatal error):\s?(.*?)(?:\s+\[recovered\])?\s*$/.exec(line);
    if (match) return exceptionOf(match[1] ?? "", match[2] ?? "");
    if (GOROUTINE.test(line)) break;
  }
  return null;
}

function parse(text: string): ParsedStack {
  const lines = stackLines(text);
  const start = lines.findIndex((line) => GOROUTINE.test(line));
  const frames: StackFrame[] = [];
  let pending: string | null = null;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (GOROUTINE.test(line) && (frames.length > 0 || start >= 0)) break;
    if (line.trim() === "" || /^exit status \d+/.test(line)) continue;
    const file = FILE_LINE.exec(line);
    if (file && pending !== null) {
      const fn = functionName(pending);
      const path = file[1] ?? "";
      frames.push(buildFrame({ file: path, function: fn, line: Number(file[2]), column: null, inApp: isInApp(fn, path) }));
      pending = null;
      continue;
    }
    // An argument list wrapped onto its own line belongs to the function above it.
    if (pending !== null && /^\s*\(.*\)\s*$/.test(line)) continue;
    if (!/^\s/.test(line)) pending = line;
  }
  return { platform: "go", frames: capInnermost(frames), exception: parseException(lines) };
}

export const goParser: StackParser = {
  platform: "go",
  recognises: (lines) => lines.some((line) => GOROUTINE.test(line) || /^\s+\S+\.go:\d+ \+0x[0-9a-f]+\s*$/.test(line)),
  parse,
  // Package path and function (receiver and closure suffixes included) identify the code.
  groupingKey: (frame) => frame.function,
};
