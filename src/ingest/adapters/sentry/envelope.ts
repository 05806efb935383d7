import { AppError } from "../../../errors.ts";
import type { SentryLimits } from "./limits.ts";

/** One envelope item: its header and its raw payload bytes (parsed later, by type). */
export interface EnvelopeItem {
  type: string;
  header: Record<string, unknown>;
  payload: Uint8Array;
}

export interface Envelope {
  header: Record<string, unknown>;
  items: EnvelopeItem[];
}

const NEWLINE = 0x0a;
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Item types whose payload we read; only these are held to the per-item size cap. */
export const READ_TYPES = new Set(["event", "feedback", "user_report", "session", "sessions"]);

/**
 * Splits a Sentry envelope into its header and items. The format: a JSON header line, then for
 * each item a JSON header line and a payload that is either `length` bytes long (then an
 * optional newline) or runs to the next newline. Framing must be exact: a truncated payload, a
 * `length` that does not end on a newline, a header that is not a JSON object, too many items
 * or an item over its cap rejects the whole envelope (4xx), because after one framing error the
 * boundaries of every later item are guesses.
 */
export function parseEnvelope(bytes: Uint8Array, limits: Pick<SentryLimits, "itemBytes" | "items" | "headerBytes">): Envelope {
  if (bytes.byteLength === 0) throw new AppError(400, "empty_body", "the request body is empty; send a Sentry envelope");
  let pos = 0;
  const nextLine = (): Uint8Array => {
    let end = bytes.indexOf(NEWLINE, pos);
    if (end < 0) end = bytes.byteLength;
    const line = bytes.subarray(pos, end);
    pos = Math.min(end + 1, bytes.byteLength);
    return line;
  };

  const header = parseHeader(nextLine(), "envelope header", limits.headerBytes);
  const items: EnvelopeItem[] = [];
  while (pos < bytes.byteLength) {
    const line = nextLine();
    if (isBlank(line)) continue; // a trailing newline, or a blank line between items
    if (items.length >= limits.items) throw new AppError(413, "too_many_items", `an envelope may carry at most ${limits.items} items`);
    const itemHeader = parseHeader(line, `item ${items.length + 1} header`, limits.headerBytes);
    const type = itemHeader.type;
    if (typeof type !== "string" || type === "" || type.length > 64)
      throw new AppError(400, "invalid_item_header", `item ${items.length + 1} header: "type" must be a non-empty string`);
    const capped = READ_TYPES.has(type);
    let payload: Uint8Array;
    if (itemHeader.length !== undefined && itemHeader.length !== null) {
      const length = itemHeader.length;
      if (typeof length !== "number" || !Number.isSafeInteger(length) || length < 0)
        throw new AppError(400, "invalid_length", `item ${items.length + 1} header: "length" must be a non-negative integer`);
      if (capped && length > limits.itemBytes) throw itemTooLarge(type, limits.itemBytes);
      if (pos + length > bytes.byteLength)
        throw new AppError(400, "truncated", `item ${items.length + 1} (${type}) declares ${length} bytes but the envelope ends after ${bytes.byteLength - pos}`);
      payload = bytes.subarray(pos, pos + length);
      pos += length;
      if (pos < bytes.byteLength) {
        if (bytes[pos] !== NEWLINE) throw new AppError(400, "invalid_length", `item ${items.length + 1} (${type}): its payload is longer than its "length" of ${length} bytes`);
        pos += 1;
      }
    } else {
      payload = nextLine();
      if (capped && payload.byteLength > limits.itemBytes) throw itemTooLarge(type, limits.itemBytes);
    }
    items.push({ type, header: itemHeader, payload });
  }
  return { header, items };
}

/** Parses an item payload as a JSON object; anything else is a 400 naming the item. */
export function parseItemJson(item: EnvelopeItem, index: number): Record<string, unknown> {
  const text = decode(item.payload, `item ${index + 1} (${item.type})`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError(400, "invalid_item", `item ${index + 1} (${item.type}) is not valid JSON`);
  }
  if (!isRecord(value)) throw new AppError(400, "invalid_item", `item ${index + 1} (${item.type}) must be a JSON object`);
  return value;
}

function parseHeader(line: Uint8Array, what: string, max: number): Record<string, unknown> {
  if (line.byteLength > max) throw new AppError(400, "invalid_header", `the ${what} is longer than ${max} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(decode(line, what));
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(400, "invalid_header", `the ${what} is not valid JSON`);
  }
  if (!isRecord(value)) throw new AppError(400, "invalid_header", `the ${what} must be a JSON object`);
  return value;
}

function decode(bytes: Uint8Array, what: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new AppError(400, "invalid_encoding", `the ${what} is not valid UTF-8`);
  }
}

function isBlank(line: Uint8Array): boolean {
  for (const b of line) if (b !== 0x20 && b !== 0x0d && b !== 0x09) return false;
  return true;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function itemTooLarge(type: string, max: number) {
  return new AppError(413, "item_too_large", `a "${type}" item may be at most ${max} bytes`);
}
