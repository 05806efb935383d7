import type { StackFrame } from "../../src/crash/frame.ts";

/** Terse expected-frame builders so the tests read like the stack they describe. */
export function frame(file: string | null, fn: string | null, line: number | null, column: number | null, inApp: boolean): StackFrame {
  return { file, function: fn, line, column, inApp };
}

export function nativeFrame(fn: string | null): StackFrame {
  return { file: null, function: fn, line: null, column: null, inApp: false, native: true };
}
