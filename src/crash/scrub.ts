import { LIMITS } from "../limits.ts";
import { isIPv6 } from "node:net";
import { EXTENSION_SCHEMES, isExtensionOrBlobFile, type StackFrame } from "./frame.ts";

/**
 * Removes personal data and secrets from crash messages and frames before anything is stored.
 * Errors routinely interpolate whatever was at hand (emails, URLs with tokens, IPs, file paths
 * under a user's home), so this errs towards over-masking. Every pattern is bounded or anchored
 * on a lookbehind so the work stays linear in the input length.
 */

const MAX_MESSAGE_LENGTH = LIMITS.storedMessage;
/**
 * Input beyond this is dropped before scrubbing to bound the work; the output is capped at 2,000
 * characters anyway, so only text that scrubbing shrank by 30k+ characters could be affected.
 */
const MAX_SCRUB_INPUT = 32 * 1024;

/** Whole URLs, so the global scan resumes after each one (no re-scanning inside a URL). */
const URL_PATTERN = /\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s"'<>()]*/gi;

/** Query strings and fragments carry tokens, emails and search terms; the path is enough. */
export function stripQueryAndFragment(url: string): string {
  const cut = url.search(/[?#]/);
  return cut >= 0 ? url.slice(0, cut) : url;
}

/** "https://user:pass@host/" → "https://host/". */
function stripUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, "$1");
}

function scrubUrls(text: string): string {
  return text.replace(URL_PATTERN, (url) => stripUserinfo(stripQueryAndFragment(url)));
}

/** "Bearer x" also appears in prose ("Bearer authentication failed"); real tokens look random. */
function scrubAuthSchemes(text: string): string {
  return text.replace(/\b(Bearer|Basic)(\s+)([A-Za-z0-9\-._~+/]+=*)/gi, (match, scheme, gap, token: string) =>
    token.length >= 16 || (token.length >= 8 && /\d/.test(token)) ? `${scheme}${gap}<token>` : match,
  );
}

/** Vendor key formats that are recognisable on their own, with no "key=" in front. */
const KNOWN_SECRET_PATTERN = new RegExp(
  [
    String.raw`\b[sprk]k_(?:live|test)_[A-Za-z0-9]{8,}`, // Stripe
    String.raw`\bgh[pousr]_[A-Za-z0-9]{20,}`, // GitHub tokens
    String.raw`\bgithub_pat_[A-Za-z0-9_]{20,}`,
    String.raw`\bglpat-[A-Za-z0-9_-]{20,}`, // GitLab
    String.raw`\b(?:AKIA|ASIA)[A-Z0-9]{16}\b`, // AWS access key ids
    String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}`, // Slack
    String.raw`\bAIza[0-9A-Za-z_-]{35}`, // Google API keys
    String.raw`\bnpm_[A-Za-z0-9]{36}`,
    String.raw`\buk_live_[A-Za-z0-9]{8,}`, // this system's admin keys
    String.raw`\bpk_[a-z0-9_-]+_[A-Za-z0-9]{16}\b`, // this system's SDK keys
    String.raw`\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*`, // JWTs
  ].join("|"),
  "g",
);

/** Names whose value is a secret, matched on the name's last word ("x_api_key", "authToken"). */
const SECRET_NAME =
  /(?:^|_)(?:api_?key|apikey|access_?token|refresh_?token|id_?token|auth_?token|token|secret|client_?secret|password|passwd|pwd|pass|session_?id|sessionid|sid|private_?key|key|signature|sig|credentials?)$/;

/** name=value, name: value, "name": "value". Names are capped at 64 characters to stay linear. */
const KEY_VALUE_PATTERN = /(?<![\w-])([A-Za-z][\w-]{0,63})("?\s{0,8}[=:]\s{0,8})("[^"\r\n]{0,1024}"|'[^'\r\n]{0,1024}'|[^\s"'&,;<>]+)/g;

function isSecretName(name: string, separator: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/-/g, "_")
    .toLowerCase();
  // "Duplicate key: foo" is prose; only "key=" (or a qualified "sort_key:") marks a secret.
  if (words === "key" && !separator.includes("=")) return false;
  return SECRET_NAME.test(words);
}

function scrubKeyValueSecrets(text: string): string {
  return text.replace(KEY_VALUE_PATTERN, (match, name: string, separator: string, value: string) => {
    if (!isSecretName(name, separator)) return match;
    const quote = value.startsWith('"') || value.startsWith("'") ? value[0] : "";
    return `${name}${separator}${quote}<token>${quote}`;
  });
}

const EMAIL_PATTERN = /(?<![\w.%+-])[\w.%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+/g;

/** Candidate runs of hex, colons and dots; node:net decides whether one really is IPv6. */
const IPV6_CANDIDATE = /(?<![\w:.])[0-9A-Fa-f:.]{2,45}(?![\w:])/g;
const IPV4_PATTERN = /(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\w|\.\d)/g;

function scrubIps(text: string): string {
  const v6 = text.replace(IPV6_CANDIDATE, (candidate) => {
    const core = candidate.replace(/\.+$/, "");
    const isAddress = core.split(":").length > 2 && /[0-9a-f]/i.test(core) && isIPv6(core);
    return isAddress ? `<ip>${candidate.slice(core.length)}` : candidate;
  });
  // Four-part version numbers ("1.2.3.4") are masked too; that is the safe direction to fail in.
  return v6.replace(IPV4_PATTERN, (match, ...octets: string[]) => (octets.slice(0, 4).every((octet) => Number(octet) <= 255) ? "<ip>" : match));
}

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** 13–19 digits, optionally grouped by spaces or dashes; Luhn keeps ordinary ids out. */
const CARD_CANDIDATE = /(?<![\d-])\d(?:[ -]?\d){12,18}(?!\d)/g;

function scrubCards(text: string): string {
  return text.replace(CARD_CANDIDATE, (match) => (passesLuhn(match.replace(/\D/g, "")) ? "<card>" : match));
}

/** Usernames leak through absolute paths in both messages and frame files. */
export function maskHomeDirs(text: string): string {
  return text
    .replace(/(\/home\/)[^/\\\s<>"'`]+/g, "$1<user>")
    .replace(/(\/Users\/)[^/\\\s<>"'`]+/g, "$1<user>")
    .replace(/\b([A-Za-z]:\\{1,2}Users\\{1,2})[^/\\\s<>"'`]+/gi, "$1<user>");
}

export function scrubMessage(msg: string): string {
  return scrubText(msg, MAX_MESSAGE_LENGTH);
}

/** scrubMessage with another output cap (raw stacks keep more than a message's 2,000). */
export function scrubText(msg: string, maxLength: number): string {
  if (typeof msg !== "string") return "";
  let text = msg.length > MAX_SCRUB_INPUT ? msg.slice(0, MAX_SCRUB_INPUT) : msg;
  // Order matters: URLs first (their query strings hold tokens and emails), secrets before
  // emails/IPs/cards (a token may contain digits or an "@"), home dirs last.
  text = scrubUrls(text);
  text = scrubAuthSchemes(text);
  text = text.replace(KNOWN_SECRET_PATTERN, "<token>");
  text = scrubKeyValueSecrets(text);
  text = text.replace(EMAIL_PATTERN, "<email>");
  text = scrubIps(text);
  text = scrubCards(text);
  text = maskHomeDirs(text);
  return text.length > maxLength ? text.slice(0, maxLength) : text;
}

const EXTENSION_URL_PATTERN = new RegExp(`(?:${[...EXTENSION_SCHEMES, "blob:"].map((scheme) => scheme.replace(/[-.]/g, "\\$&")).join("|")})[^\\s"'<>()]*`, "gi");

/**
 * A stack no parser understood, kept for reading: scrubbed like a message, and browser-extension
 * and blob: URLs masked, since the extensions a visitor installed identify them as frames do.
 */
export function scrubRawStack(stack: string, maxLength: number): string {
  const masked = stack.replace(EXTENSION_URL_PATTERN, "<extension>");
  return scrubText(masked, maxLength);
}

/** Drops frames from code the app does not own and whose URLs are per-session (blob:). */
export function scrubFrame(frame: StackFrame): StackFrame | null {
  if (frame.file === null) return { ...frame };
  if (isExtensionOrBlobFile(frame.file)) return null;
  const file = maskHomeDirs(stripUserinfo(stripQueryAndFragment(frame.file)));
  if (file === "") return { ...frame, file: null, inApp: false };
  return { ...frame, file };
}

export function scrubFrames(frames: readonly StackFrame[]): StackFrame[] {
  const kept: StackFrame[] = [];
  for (const frame of frames) {
    const scrubbed = scrubFrame(frame);
    if (scrubbed) kept.push(scrubbed);
  }
  return kept;
}
