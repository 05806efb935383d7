import { LIMITS } from "../limits.ts";
import { createHash } from "node:crypto";
import type { StackFrame } from "./frame.ts";
import { scrubMessage, stripQueryAndFragment } from "./scrub.ts";

/**
 * Grouping fingerprint, version "g1". The goal: one crash group per bug, stable across deploys.
 * So the basis never includes line/column numbers or bundle hashes (they change on every build)
 * and never includes user data from the message. Bump the version whenever the basis changes,
 * because old and new hashes for the same bug will differ.
 */
export const FINGERPRINT_VERSION = "g1";

export interface FingerprintInput {
  errorType: string;
  message: string;
  frames: readonly StackFrame[];
  clientFingerprint?: readonly string[];
}

export interface CrashFingerprint {
  version: typeof FINGERPRINT_VERSION;
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
  return value.replace(/[\r\n]+/g, " ").trim().slice(0, max);
}

/**
 * Build hashes: hex ("3f9a2c1b"), mixed alphanumerics ("abc123def"), Vite base64url ("BvK3x9Qa").
 * Only Vite's hashes may contain "-", so `allowDash` is set only where one is expected.
 */
function looksLikeBuildHash(token: string, allowDash = false): boolean {
  if (!allowDash && token.includes("-")) return false;
  if (/^[0-9a-f]{6,64}$/i.test(token) && (/\d/.test(token) || token.length >= 8)) return true;
  if (/^[A-Za-z0-9_-]{8,64}$/.test(token) && /\d/.test(token) && /[A-Za-z]/.test(token)) return true;
  // Vite/Rollup hashes may happen to be all letters; random ones are visibly mixed-case.
  if (/^[A-Za-z_-]{8}$/.test(token)) {
    const upper = token.replace(/[^A-Z]/g, "").length;
    const lower = token.replace(/[^a-z]/g, "").length;
    return upper >= 3 && lower >= 1;
  }
  return false;
}

/** "app-8d7f6e5a" → "app"; "index-Bv_3-x9Q" (8-char Vite hash that itself contains "-") → "index". */
function stripDashedHash(stem: string): string {
  const dash = stem.lastIndexOf("-");
  if (dash > 0 && looksLikeBuildHash(stem.slice(dash + 1))) return stem.slice(0, dash);
  const vite = /^(.+)-([A-Za-z0-9_-]{8})$/.exec(stem);
  if (vite?.[1] && vite[2] && looksLikeBuildHash(vite[2], true)) return vite[1];
  return stem;
}

/** "https://cdn.x/assets/chunk.abc123def.min.js?v=2" → "chunk.min.js". */
export function stableFileName(file: string): string {
  const path = stripQueryAndFragment(file).replace(/[/\\]+$/, "");
  const base = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  const tokens = base.split(".");
  if (tokens.length < 2) return stripDashedHash(base);
  const stem = tokens[0] ?? "";
  const extension = tokens[tokens.length - 1] ?? "";
  const middle = tokens.slice(1, -1).filter((token) => !looksLikeBuildHash(token));
  const stableStem = looksLikeBuildHash(stem) ? "<hash>" : stripDashedHash(stem);
  return [stableStem, ...middle, extension].join(".");
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
  let basis: string[];
  if (client.length > 0) {
    basis = ["client", ...client];
  } else {
    const errorType = toBasisPart(String(input.errorType ?? ""), MAX_ERROR_TYPE_LENGTH) || "Error";
    const frames = stackBasis(input.frames ?? []);
    basis =
      frames.length > 0
        ? ["stack", errorType, ...frames]
        : ["message", errorType, messageGroupingKey(String(input.message ?? ""))];
  }
  return { version: FINGERPRINT_VERSION, hash: sha256Hex(basis), basis };
}
