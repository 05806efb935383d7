import { LIMITS } from "../limits.ts";
import { fingerprintCrash, type FingerprintVersion } from "./fingerprint.ts";
import type { StackFrame } from "./frame.ts";
import { normalizeClientFrames } from "./frames-input.ts";
import { parseAnyStack } from "./parsers/detect.ts";
import type { StackPlatform } from "./parsers/types.ts";
import { scrubFrames, scrubMessage, scrubRawStack } from "./scrub.ts";

export type { StackFrame } from "./frame.ts";
export type { ParsedStack, StackException, StackPlatform } from "./parsers/types.ts";
/** For other ingest formats (Sentry events): parse a raw stack, map a platform name. */
export { parseAnyStack, platformFromHint } from "./parsers/detect.ts";

export interface RawCrashReport {
  /** When empty, the exception named in the stack text ("ValueError: bad") is used. */
  errorType?: string;
  /** When empty, the message named in the stack text is used. */
  message?: string;
  /** Raw stack text: JavaScript, CPython, JVM/Android, Apple, .NET or Go; used when no structured frames were sent. */
  stack?: string;
  /** Client-structured frames (Oasis RFC shape); preferred over `stack` when non-empty. */
  stackTrace?: unknown[];
  /** Client-chosen grouping; wins over the computed fingerprint when non-empty. */
  fingerprint?: string[];
  /** The client's platform ("python", "android", "ios", …): which stack format to try first. */
  platform?: string | null;
}

export interface ProcessedCrashReport {
  errorType: string;
  message: string;
  frames: StackFrame[];
  /** The scrubbed stack text when no parser understood it (so nothing is thrown away); else null. */
  rawStack: string | null;
  /** The platform whose parser produced the frames; null for client frames or an unparsed stack. */
  stackPlatform: StackPlatform | null;
  fingerprint: { version: FingerprintVersion; hash: string };
}

const MAX_ERROR_TYPE_LENGTH = LIMITS.fingerprintErrorType;
export const MAX_RAW_STACK_LENGTH = LIMITS.storedRawStack;

function nonEmpty(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

/**
 * Turns an untrusted crash report into what may be stored: scrubbed message, scrubbed frames (or
 * the scrubbed raw stack when no parser understood it) and the grouping fingerprint.
 * Fingerprinting runs on scrubbed data, so nothing the scrubber removes can influence (or be
 * recovered from) the group hash.
 */
export function processCrashReport(raw: RawCrashReport): ProcessedCrashReport {
  const stack = nonEmpty(raw.stack) ?? "";
  const clientFrames = Array.isArray(raw.stackTrace) ? normalizeClientFrames(raw.stackTrace) : [];
  const parsed = clientFrames.length === 0 && stack !== "" ? parseAnyStack(stack, raw.platform) : null;
  const named = parsed?.exception ?? null;

  const errorType =
    scrubMessage(nonEmpty(raw.errorType) ?? named?.type ?? "")
      .trim()
      .slice(0, MAX_ERROR_TYPE_LENGTH) || "Error";
  const message = scrubMessage(nonEmpty(raw.message) ?? named?.message ?? "");
  const frames = scrubFrames(clientFrames.length > 0 ? clientFrames : (parsed?.frames ?? []));
  // Kept only when no parser understood the text; a stack whose frames were all dropped by the
  // scrubber (extension code) stays dropped.
  const rawStack = parsed !== null && parsed.frames.length === 0 ? scrubRawStack(stack, MAX_RAW_STACK_LENGTH) : null;
  // Only frames a parser produced are keyed by platform (g2 for native ones); client-sent frames
  // and unparsed stacks keep g1's rules, so the groups they already had keep their keys.
  const stackPlatform = parsed && parsed.frames.length > 0 ? parsed.platform : null;

  const { version, hash } = fingerprintCrash({
    errorType,
    message,
    frames,
    clientFingerprint: raw.fingerprint,
    platform: stackPlatform,
  });
  return { errorType, message, frames, rawStack, stackPlatform, fingerprint: { version, hash } };
}
