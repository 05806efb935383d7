import { buildFrame, MAX_FRAMES, toLineNumber, type StackFrame } from "./frame.ts";

/**
 * Normalises a client-sent frame array (the Oasis RFC shape `{file, line, column, function,
 * isNative}`, plus the Sentry/browser spellings `filename`, `lineno`, `colno`, `method`) into
 * StackFrames. The input is untrusted JSON, so every field is type-checked and capped; bad fields
 * become null instead of rejecting the whole report.
 */

function firstString(record: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === "string" && value.trim() !== "") return value;
  }
  return null;
}

function firstLineNumber(record: Record<string, unknown>, keys: readonly string[]): number | null {
  for (const key of keys) {
    const value = toLineNumber(record[key]);
    if (value !== null) return value;
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function normalizeClientFrame(value: unknown): StackFrame | null {
  if (!isRecord(value)) return null;
  const file = firstString(value, ["file", "filename"]);
  const fn = firstString(value, ["function", "method"]);
  const native = value.isNative === true || value.native === true;
  const frame = buildFrame({
    file,
    function: fn,
    line: firstLineNumber(value, ["line", "lineno"]),
    column: firstLineNumber(value, ["column", "colno"]),
    native,
  });
  // A frame with neither file nor function carries no information worth storing.
  if (frame.file === null && frame.function === null && !native) return null;
  // The client knows its own code best (Sentry SDKs send `in_app`); our rules decide otherwise.
  const inApp = typeof value.inApp === "boolean" ? value.inApp : typeof value.in_app === "boolean" ? value.in_app : null;
  if (inApp !== null && !native) frame.inApp = inApp && frame.file !== null;
  return frame;
}

/** Keeps the client's order (innermost first, as engines print) and at most 64 usable frames. */
export function normalizeClientFrames(input: unknown): StackFrame[] {
  if (!Array.isArray(input)) return [];
  const frames: StackFrame[] = [];
  for (const item of input) {
    const frame = normalizeClientFrame(item);
    if (frame) frames.push(frame);
    if (frames.length >= MAX_FRAMES) break;
  }
  return frames;
}
