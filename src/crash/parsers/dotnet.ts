import { buildFrame, type StackFrame } from "../frame.ts";
import { capInnermost, exceptionOf, stackLines, type ParsedStack, type StackException, type StackParser } from "./types.ts";

/**
 * .NET stack traces as `Exception.ToString()` prints them (.NET Framework, .NET Core/5+, Mono,
 * Xamarin, Unity):
 *
 *   System.InvalidOperationException: Load failed ---> System.NullReferenceException: Object reference …
 *      at Shop.Cart.Total() in C:\src\Shop\Cart.cs:line 42
 *      --- End of inner exception stack trace ---
 *      at Shop.Program.Main(String[] args) in C:\src\Shop\Program.cs:line 12
 *   at Game.Player.Update () [0x0001c] in /Users/dev/Game/Player.cs:42        (Mono)
 *
 * ToString() already prints the inner exception's frames first, then the outer ones, which is
 * innermost first. The innermost ("--->" chain's last) exception is the root cause and names the bug.
 */

/** The runtime, the base class library and the platform bindings (Xamarin, MAUI). */
const SYSTEM_NAMESPACES = ["System.", "Microsoft.", "Mono.", "MS.", "Interop.", "UIKit.", "Foundation.", "ObjCRuntime.", "Android.", "Java.Interop."];

/**
 * Mono/Unity: `at Ns.T.M (args) [0x0001c] in /path/File.cs:42`, `<0x…> in <filename unknown>:0`.
 * Found by its IL offset marker first (a search that starts on "[" or "<"), so a long line
 * costs one pass rather than one per character.
 */
const FRAME_START = /^\s*at\s+(?:\(wrapper [^)]*\)\s+)?/;
const MONO_LOCATION = /(?:\[0x[0-9a-f]+\]|<0x[0-9a-f]+(?:\s*\+\s*0x[0-9a-f]+)?>)\s+in\s+(.+):(\d+)\s*$/i;
/** .NET's `… in C:\path\File.cs:line 42` suffix (absent without symbols). */
const LINE_SUFFIX = /:line\s+(\d+)$/;
const MARKER = /^\s*---\s*End of (?:inner exception )?stack trace/i;
const EXCEPTION_HEAD =
  /^(?:Unhandled [Ee]xception[.:]?\s*)?(?:\(Inner Exception #\d+\)\s*)?([A-Za-z_][\w`+]*(?:\.[A-Za-z_][\w`+]*)+|[A-Za-z_][\w+]*Exception)(?:\s+\(0x[0-9A-Fa-f]+\))?(?::\s?(.*))?$/;

function isInApp(method: string): boolean {
  return !SYSTEM_NAMESPACES.some((prefix) => method.startsWith(prefix));
}

function methodName(raw: string): string {
  // Mono puts a space before the argument list; .NET does not. One spelling for both.
  return raw.replace(/\s+\(/, "(").trim();
}

function parseMonoFrame(line: string): StackFrame | null {
  const start = FRAME_START.exec(line);
  const location = start ? MONO_LOCATION.exec(line) : null;
  if (!start || !location) return null;
  const method = methodName(line.slice(start[0].length, location.index));
  if (method === "") return null;
  const file = location[1] ?? "";
  const known = !file.startsWith("<"); // "<filename unknown>", "<8f7b3c…>" (no symbols)
  return buildFrame({
    file: known ? file : null,
    function: method,
    line: known ? Number(location[2]) : null,
    column: null,
    inApp: isInApp(method),
  });
}

function parseFrame(line: string): StackFrame | null {
  const mono = parseMonoFrame(line);
  if (mono) return mono;
  // .NET: `at Ns.T.M(args) in C:\path\File.cs:line 42` or just `at Ns.T.M(args)`. Split with
  // indexOf rather than one regex so a hostile line costs one pass.
  const start = FRAME_START.exec(line);
  if (!start) return null;
  const body = line.slice(start[0].length).trimEnd();
  let method = body;
  let file: string | null = null;
  let lineNo: number | null = null;
  const suffix = LINE_SUFFIX.exec(body);
  const inAt = suffix ? body.indexOf(") in ") : -1;
  if (suffix && inAt >= 0 && inAt < suffix.index) {
    method = body.slice(0, inAt + 1);
    file = body.slice(inAt + 5, suffix.index).trim() || null;
    lineNo = Number(suffix[1]);
  }
  // A method always ends with its argument list; "at" prose ("at least…") does not.
  if (!method.includes("(") || !method.endsWith(")")) return null;
  method = methodName(method);
  return buildFrame({ file, function: method, line: lineNo, column: null, inApp: isInApp(method) });
}

/** "A: outer ---> B: inner" (possibly over several lines): the last named exception is the root. */
function rootException(headerLines: string[]): StackException | null {
  const chain = headerLines.join("\n").split("--->");
  for (let i = chain.length - 1; i >= 0; i--) {
    const text = (chain[i] ?? "").trim();
    const newline = text.indexOf("\n");
    const first = newline >= 0 ? text.slice(0, newline) : text;
    const head = EXCEPTION_HEAD.exec(first.trim());
    if (head) return exceptionOf(head[1] ?? "", `${head[2] ?? ""}${newline >= 0 ? text.slice(newline) : ""}`);
  }
  return null;
}

function parse(text: string): ParsedStack {
  const frames: StackFrame[] = [];
  const headerLines: string[] = [];
  for (const line of stackLines(text)) {
    if (line.trim() === "" || MARKER.test(line)) continue;
    const frame = parseFrame(line);
    if (frame) frames.push(frame);
    else if (frames.length === 0 || line.trimStart().startsWith("--->")) headerLines.push(line);
  }
  return { platform: "dotnet", frames: capInnermost(frames), exception: rootException(headerLines) };
}

/** Compiler-generated names (async state machines, lambdas, closures) carry per-build counters. */
function stableMethod(method: string): string {
  return method
    .replace(/\s*\(.*\)\s*$/, "")
    .replace(/\[[^\]]*\]$/, "")
    .replace(/[.+]<([^>]+)>d__\d+\.MoveNext$/, ".$1")
    .replace(/(b__|d__|__DisplayClass)\d+(?:_\d+)*/g, "$1");
}

export const dotnetParser: StackParser = {
  platform: "dotnet",
  recognises: (lines) =>
    lines.some(
      (line) =>
        /^\s*at\s+[^\s(]+\(.*\)\s+in\s+.+:line\s+\d+\s*$/.test(line) ||
        /^\s*at\s+[^\s(]+\s*\(.*\)\s*\[0x[0-9a-f]+\]\s+in\s+/i.test(line) ||
        /--- End of inner exception stack trace ---/.test(line) ||
        /^\s*(?:Unhandled [Ee]xception[.:]\s*)?System\.\w+(?:\.\w+)*(?:Exception|Error)\b/.test(line),
    ),
  parse,
  // Type and method; the argument list is kept out so overloads of one bug path stay one key.
  groupingKey: (frame) => (frame.function === null ? null : stableMethod(frame.function)),
};
