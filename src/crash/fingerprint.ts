import { LIMITS } from "../limits.ts";
import { createHash } from "node:crypto";
import type { StackFrame } from "./frame.ts";
import { STACK_PARSERS } from "./parsers/detect.ts";
import type { StackPlatform } from "./parsers/types.ts";
import { scrubMessage } from "./scrub.ts";
import { stableFileName } from "./stable-file-name.ts";

export { stableFileName } from "./stable-file-name.ts";

/**
 * Grouping fingerprint. The goal: one crash group per bug, stable across deploys. So the basis
 * never includes line/column numbers, offsets or bundle hashes (they change on every build) and
 * never includes user data from the message. Bump the version whenever the basis changes,
 * because old and new hashes for the same bug will differ.
 *
 * - "g1": JavaScript stacks (file without build hash + function), client fingerprints, and the
 *   message path. Still produced, unchanged, for every report it covered, so the groups users
 *   already triage keep collecting their crashes.
 * - "g2": reports from a native platform (Python, JVM, Apple, .NET, Go). g1 read those stacks as
 *   JavaScript or not at all: Java frames became "File.java:pkg.Class.method" with java.* counted
 *   as in-app, and Python, Apple, .NET and Go stacks yielded no frames, so different bugs with
 *   one message shared a group. g2 keys each in-app frame the way its platform names code
 *   (Java class+method, Python module+function, Apple image+symbol, .NET type+method, Go
 *   package.function; see each parser's `groupingKey`) and puts the platform in the basis.
 *   Changing those keys is why this is a new version rather than an extension of g1.
 */
export type FingerprintVersion = "g1" | "g2";
/** The newest version; older ones are still produced where they apply (see above). */
export const FINGERPRINT_VERSION: FingerprintVersion = "g2";

export interface FingerprintInput {
  errorType: string;
  message: string;
  frames: readonly StackFrame[];
  clientFingerprint?: readonly string[];
  /**
   * The platform whose rules key the frames: set when a native parser produced them; a caller
   * with structured frames of a known platform (a Sentry event) may set it too. Absent → g1.
   */
  platform?: StackPlatform | null;
}

export interface CrashFingerprint {
  version: FingerprintVersion;
  hash: string;
  basis: string[];
}

/** Innermost frames identify a bug; outer ones are mostly framework plumbing and entry points. */
const MAX_BASIS_FRAMES = 8;
const MAX_CLIENT_PARTS = 16;
const MAX_PART_LENGTH = 256;
const MAX_ERROR_TYPE_LENGTH = LIMITS.fingerprintErrorType;

/** Basis parts are joined with "\n", so a part must not contain one (no ["a\nb"] = ["a","b"]). */
function toBasisPart(value: string, max = MAX_PART_LENGTH): string {
  return value
    .replace(/[\r\n]+/g, " ")
    .trim()
    .slice(0, max);
}

/** g2: in-app frames keyed by their platform's rule; frames with nothing stable are skipped. */
function nativeStackBasis(platform: StackPlatform, frames: readonly StackFrame[]): string[] {
  const groupingKey = STACK_PARSERS[platform].groupingKey;
  const parts: string[] = [];
  for (const frame of frames) {
    if (!frame.inApp || frame.native) continue;
    const key = groupingKey(frame);
    if (key === null) continue;
    const part = toBasisPart(key);
    if (parts[parts.length - 1] === part) continue; // recursion, as in g1
    parts.push(part);
    if (parts.length >= MAX_BASIS_FRAMES) break;
  }
  return parts;
}

function stackBasis(frames: readonly StackFrame[]): string[] {
  const parts: string[] = [];
  for (const frame of frames) {
    if (!frame.inApp || frame.native || frame.file === null) continue;
    const part = toBasisPart(`${stableFileName(frame.file)}:${frame.function ?? "?"}`);
    // Recursion repeats the same frame; collapsing keeps depth from splitting one bug in many.
    if (parts[parts.length - 1] === part) continue;
    parts.push(part);
    if (parts.length >= MAX_BASIS_FRAMES) break;
  }
  return parts;
}

/** First message line with everything instance-specific replaced, so "User 123" = "User 456". */
export function messageGroupingKey(message: string): string {
  const firstLine = scrubMessage(message).split(/\r?\n/, 1)[0] ?? "";
  return toBasisPart(
    firstLine
      .replace(/\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s"'<>()]*/gi, "<url>")
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>")
      .replace(/\b0x[0-9a-f]+\b/gi, "<hex>")
      .replace(/\b(?=[0-9a-f]{0,63}\d)(?=[0-9a-f]{0,63}[a-f])[0-9a-f]{8,64}\b/gi, "<hex>")
      .replace(/\d+(?:[.,]\d+)*/g, "<n>")
      .replace(/\s+/g, " "),
  );
}

function clientBasis(clientFingerprint: readonly unknown[] | undefined): string[] {
  if (!Array.isArray(clientFingerprint)) return [];
  const parts: string[] = [];
  for (const value of clientFingerprint) {
    // Scrubbed like a message: a client may well key its groups on an email or a URL.
    if (typeof value === "string") parts.push(toBasisPart(scrubMessage(value)));
    if (parts.length >= MAX_CLIENT_PARTS) break;
  }
  return parts.some((part) => part !== "") ? parts : [];
}

function sha256Hex(basis: readonly string[]): string {
  return createHash("sha256").update(basis.join("\n")).digest("hex");
}

export function fingerprintCrash(input: FingerprintInput): CrashFingerprint {
  const client = clientBasis(input.clientFingerprint);
  if (client.length > 0) {
    const basis = ["client", ...client];
    return { version: "g1", hash: sha256Hex(basis), basis };
  }
  const errorType = toBasisPart(String(input.errorType ?? ""), MAX_ERROR_TYPE_LENGTH) || "Error";
  const message = messageGroupingKey(String(input.message ?? ""));
  const platform = input.platform ?? "javascript";
  if (platform === "javascript") {
    const frames = stackBasis(input.frames ?? []);
    const basis = frames.length > 0 ? ["stack", errorType, ...frames] : ["message", errorType, message];
    return { version: "g1", hash: sha256Hex(basis), basis };
  }
  const frames = nativeStackBasis(platform, input.frames ?? []);
  const basis = frames.length > 0 ? ["stack", platform, errorType, ...frames] : ["message", platform, errorType, message];
  return { version: "g2", hash: sha256Hex(basis), basis };
}
