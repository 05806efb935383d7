import { LIMITS } from "../limits.ts";
import { fingerprintCrash } from "./fingerprint.ts";
import type { StackFrame } from "./frame.ts";
import { normalizeClientFrames } from "./frames-input.ts";
import { scrubFrames, scrubMessage } from "./scrub.ts";
import { parseStack } from "./stack-parse.ts";

export type { StackFrame } from "./frame.ts";

export interface RawCrashReport {
  errorType: string;
  message: string;
  /** Error.prototype.stack text, used when no structured frames were sent. */
  stack?: string;
  /** Client-structured frames (Oasis RFC shape); preferred over `stack` when non-empty. */
  stackTrace?: unknown[];
  /** Client-chosen grouping; wins over the computed fingerprint when non-empty. */
  fingerprint?: string[];
}

export interface ProcessedCrashReport {
  errorType: string;
  message: string;
  frames: StackFrame[];
  fingerprint: { version: "g1"; hash: string };
}

const MAX_ERROR_TYPE_LENGTH = LIMITS.fingerprintErrorType;

/**
 * Turns an untrusted crash report into what may be stored: scrubbed message, scrubbed frames and
 * the grouping fingerprint. Fingerprinting runs on scrubbed data, so nothing the scrubber removes
 * can influence (or be recovered from) the group hash.
 */
export function processCrashReport(raw: RawCrashReport): ProcessedCrashReport {
  const errorType =
    scrubMessage(typeof raw.errorType === "string" ? raw.errorType : "").trim().slice(0, MAX_ERROR_TYPE_LENGTH) ||
    "Error";
  const message = scrubMessage(typeof raw.message === "string" ? raw.message : "");
  const clientFrames = Array.isArray(raw.stackTrace) ? normalizeClientFrames(raw.stackTrace) : [];
  const parsedFrames =
    clientFrames.length > 0 ? clientFrames : parseStack(typeof raw.stack === "string" ? raw.stack : "");
  const frames = scrubFrames(parsedFrames);
  const { version, hash } = fingerprintCrash({ errorType, message, frames, clientFingerprint: raw.fingerprint });
  return { errorType, message, frames, fingerprint: { version, hash } };
}
