import { MAX_FRAMES, type StackFrame } from "../frame.ts";

/** The stack formats we read. "javascript" covers V8, SpiderMonkey (Gecko) and JavaScriptCore. */
export type StackPlatform = "javascript" | "python" | "java" | "apple" | "dotnet" | "go";

/** The exception named in the text itself ("ValueError: bad"), for reports that carry only a stack. */
export interface StackException {
  type: string;
  message: string;
}

export interface ParsedStack {
  platform: StackPlatform;
  /** Innermost first, at most MAX_FRAMES. */
  frames: StackFrame[];
  exception: StackException | null;
}

export interface StackParser {
  platform: StackPlatform;
  /**
   * Cheap check: do the lines (from `stackLines`, so each is bounded) carry this platform's
   * unmistakable marks? Tested line by line so no pattern can span, and rescan, many lines.
   */
  recognises(lines: readonly string[]): boolean;
  /** Frames innermost first (empty when nothing was understood) and the exception, if named. */
  parse(text: string): ParsedStack;
  /**
   * What identifies a frame across releases for grouping: never a line number, offset or
   * address. Null when the frame has nothing stable (an unsymbolicated address).
   */
  groupingKey(frame: StackFrame): string | null;
}

/** Longer lines are noise or abuse; no real frame line comes close. */
export const MAX_LINE_LENGTH = 1024;
/** Bounds the work per report; 64 frames never need more than this. */
export const MAX_STACK_INPUT = 256 * 1024;
export const MAX_EXCEPTION_TYPE_LENGTH = 128;
export const MAX_EXCEPTION_MESSAGE_LENGTH = 2000;

/** Lines of the (bounded) input, over-long ones blanked so indices stay meaningful. */
export function stackLines(text: string): string[] {
  let bounded = text;
  if (bounded.length > MAX_STACK_INPUT) {
    // Drop the cut-off last line: a truncated "file:12" would report the wrong line.
    bounded = bounded.slice(0, MAX_STACK_INPUT);
    bounded = bounded.slice(0, Math.max(0, bounded.lastIndexOf("\n")));
  }
  return bounded.split(/\r\n|\r|\n/).map((line) => (line.length > MAX_LINE_LENGTH ? "" : line));
}

/** Keeps the innermost frames when a stack is deeper than we store. */
export function capInnermost(frames: StackFrame[]): StackFrame[] {
  return frames.length > MAX_FRAMES ? frames.slice(0, MAX_FRAMES) : frames;
}

export function exceptionOf(type: string, message: string): StackException | null {
  const t = type.trim().slice(0, MAX_EXCEPTION_TYPE_LENGTH);
  if (t === "") return null;
  return { type: t, message: message.trim().slice(0, MAX_EXCEPTION_MESSAGE_LENGTH) };
}

/**
 * Logcat and log-shipper prefixes in front of every line ("05-16 08:17:53.812: E/AndroidRuntime(27147): ",
 * "02-07 12:23:58.123 16347-16347/app E/AndroidRuntime: ", "11-22 03:08:37.123  1234  1234 E AndroidRuntime: ").
 * Stripped so the trace underneath reads as printed.
 */
const DATED_LOGCAT_PREFIX = /^\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}:?\s+(?:\d+-\d+(?:\/\S+)?\s+|\d+\s+\d+\s+)?[VDIWEFA][/ ][\w.$-]+\s*(?:\(\s*\d+\))?:\s?/;
const BRIEF_LOGCAT_PREFIX = /^[VDIWEFA]\/[\w.$-]+\s*(?:\(\s*\d+\))?:\s?/;

/** Android Studio prints the prefix on the first line only; `adb logcat` on every line. */
export function stripLogPrefixes(lines: readonly string[]): string[] {
  return lines.map((line) => line.replace(DATED_LOGCAT_PREFIX, "").replace(BRIEF_LOGCAT_PREFIX, ""));
}
