import { buildFrame, MAX_FRAMES, type StackFrame } from "./frame.ts";

export type { StackFrame } from "./frame.ts";

/**
 * Parses `Error.prototype.stack` text from V8 (Chrome, Edge, Node, Bun's V8-style output),
 * SpiderMonkey (Firefox) and JavaScriptCore (Safari) into frames, innermost first, as the engine
 * printed them. Lines we cannot read (the "TypeError: x" header, message continuation lines,
 * "... N more") are skipped rather than guessed at.
 */

/** Longer lines are minified-code noise or abuse; no real frame line comes close. */
const MAX_LINE_LENGTH = 1024;
/** Bounds the work per report; 64 frames never need more than this. */
const MAX_STACK_INPUT = 256 * 1024;

interface Location {
  file: string | null;
  line: number | null;
  column: number | null;
}

/** "file:12:5", "file:12" or just "file"; greedy so Windows drive letters and URLs stay whole. */
function splitLocation(location: string): Location {
  const full = /^(.*):(\d+):(\d+)$/.exec(location);
  if (full) return { file: full[1] || null, line: Number(full[2]), column: Number(full[3]) };
  const lineOnly = /^(.*):(\d+)$/.exec(location);
  if (lineOnly) return { file: lineOnly[1] || null, line: Number(lineOnly[2]), column: null };
  return { file: location || null, line: null, column: null };
}

function nativeFrame(fn: string | null): StackFrame {
  return buildFrame({ file: null, function: fn, line: null, column: null, native: true });
}

/** Index of the "(" matching the final ")"; V8 nests parens for eval origins. */
function openParenOfTrailingGroup(text: string): number {
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const ch = text[i];
    if (ch === ")") depth++;
    else if (ch === "(" && --depth === 0) return i;
  }
  return -1;
}

/**
 * V8 and Bun spell built-ins several ways: "Array.map (<anonymous>)", "native", "native:1:11",
 * "unknown", "Promise.all (index 0)".
 */
function isV8NativeLocation(fn: string | null, location: string): boolean {
  return (location === "<anonymous>" && fn !== null) || location === "native" || location === "unknown" || /^native:\d+(?::\d+)?$/.test(location) || /^index \d+$/.test(location);
}

function parseV8Line(trimmed: string): StackFrame | null {
  let rest = trimmed.slice(3).trim();
  if (rest.startsWith("async ")) rest = rest.slice(6).trim();
  let fn: string | null = null;
  let location = rest;
  if (rest.endsWith(")")) {
    const open = openParenOfTrailingGroup(rest);
    if (open >= 0) {
      fn = rest.slice(0, open).trim() || null;
      location = rest.slice(open + 1, -1).trim();
    }
  }
  if (fn === "<anonymous>") fn = null;
  if (isV8NativeLocation(fn, location)) return nativeFrame(fn);
  if (location.startsWith("eval at ")) {
    // The eval'd code's own position (<anonymous>:1:1) means nothing to a reader; the innermost
    // parenthesised location is where eval was called from, which is real source.
    const origin = /\(([^()]+)\)/.exec(location);
    const fallback = location.slice(location.lastIndexOf(", ") + 2);
    return buildFrame({ ...splitLocation(origin?.[1] ?? fallback), function: fn });
  }
  if (location === "") return null;
  return buildFrame({ ...splitLocation(location), function: fn });
}

/** Firefox marks how a frame was reached: "async*fn", "promise callback*fn". */
function stripAsyncCause(fn: string): string {
  const star = fn.lastIndexOf("*");
  return star >= 0 ? fn.slice(star + 1) : fn;
}

/** Firefox and Safari: "fn@location", "@location", "fn@[native code]". */
function parseAtSignLine(trimmed: string): StackFrame | null {
  const at = trimmed.indexOf("@");
  const fn = stripAsyncCause(trimmed.slice(0, at)).trim() || null;
  const location = trimmed.slice(at + 1).trim();
  if (location === "[native code]") return nativeFrame(fn);
  if (location === "") return buildFrame({ file: null, function: fn, line: null, column: null });
  // Firefox eval/Function: "file line 2 > eval:1:1"; the outer file and line are the real source.
  const evalOrigin = /^(\S+?) line (\d+) > \S/.exec(location);
  if (evalOrigin) {
    const [, file = null, line] = evalOrigin;
    return buildFrame({ file, function: fn, line: Number(line), column: null });
  }
  const parsed = splitLocation(location);
  // A real location has a line number and no spaces; this rejects "user bob@example.com" prose.
  if (parsed.line === null || parsed.file === null || /\s/.test(parsed.file)) return null;
  return buildFrame({ ...parsed, function: fn });
}

/** Safari prints anonymous functions as a bare "url:line:col". */
const BARE_LOCATION = /^(?:[a-z][\w+.-]*:|\/|[a-z]:\\)\S*:\d+(?::\d+)?$/i;
/** Safari frames that have no location at all. */
const LOCATIONLESS_FRAME = /^(?:eval|global|module) code$/;

function parseGeckoOrJscLine(trimmed: string): StackFrame | null {
  if (trimmed === "[native code]") return nativeFrame(null);
  if (LOCATIONLESS_FRAME.test(trimmed)) {
    return buildFrame({ file: null, function: trimmed, line: null, column: null });
  }
  if (trimmed.includes("@")) return parseAtSignLine(trimmed);
  if (BARE_LOCATION.test(trimmed)) return buildFrame({ ...splitLocation(trimmed), function: null });
  return null;
}

/** "TypeError: x", "Error", "DOMException: y": a header, never a frame. */
const HEADER_LINE = /^[A-Za-z_$][\w$.]*(?::\s|:$|$)/;

function inputLines(stack: string): string[] {
  let text = stack;
  if (text.length > MAX_STACK_INPUT) {
    // Drop the cut-off last line: a truncated "file.js:12" would report the wrong line.
    text = text.slice(0, MAX_STACK_INPUT);
    text = text.slice(0, Math.max(0, text.lastIndexOf("\n")));
  }
  return text.split(/\r?\n/);
}

export function parseStack(stack: string): StackFrame[] {
  if (typeof stack !== "string" || stack === "") return [];
  const lines = inputLines(stack).filter((line) => line.length <= MAX_LINE_LENGTH);
  // V8 stacks start every frame with "at "; once we know that, prose lines of a multi-line
  // message can never be mistaken for Gecko-style frames.
  const isV8 = lines.some((line) => line.trimStart().startsWith("at "));
  const frames: StackFrame[] = [];
  let sawFirstLine = false;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === "") continue;
    const isFirstLine = !sawFirstLine;
    sawFirstLine = true;
    if (isFirstLine && HEADER_LINE.test(trimmed)) continue;
    let frame: StackFrame | null = null;
    if (isV8) {
      if (trimmed.startsWith("at ")) frame = parseV8Line(trimmed);
    } else {
      frame = parseGeckoOrJscLine(trimmed);
    }
    if (frame) frames.push(frame);
    if (frames.length >= MAX_FRAMES) break;
  }
  return frames;
}
