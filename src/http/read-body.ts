import { AppError } from "../errors.ts";
import { parseGuardedJson } from "./json-guard.ts";

const JSON_TYPES = /^(application\/json|text\/plain|application\/csp-report)?\s*(;.*)?$/i;
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads a JSON body sent as application/json or text/plain (text/plain lets a browser post
 * cross-origin without a CORS preflight). The size limit is enforced while reading: a body over
 * the limit is cut off at the limit, never buffered whole.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  return (await readJsonBodyAndBytes(request, maxBytes)).value;
}

/** readJsonBody, also returning the bytes as received (for formats that sign their bodies). */
export async function readJsonBodyAndBytes(request: Request, maxBytes: number): Promise<{ value: unknown; bytes: Uint8Array }> {
  const type = request.headers.get("content-type") ?? "";
  if (!JSON_TYPES.test(type.trim())) {
    throw new AppError(415, "unsupported_media_type", "send the body as JSON with Content-Type application/json or text/plain");
  }
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const bytes = await readLimited(request, maxBytes, declared);
  if (bytes.byteLength === 0) throw new AppError(400, "empty_body", "the request body is empty; send a JSON object");
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new AppError(400, "invalid_encoding", "the request body is not valid UTF-8");
  }
  return { value: parseGuardedJson(text), bytes };
}

async function readLimited(request: Request, maxBytes: number, declared: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  // A Content-Length within the limit bounds the body (HTTP framing): read it in one go, which
  // costs far less than a stream reader. Without one (chunked), count while reading.
  if (Number.isInteger(declared) && declared >= 0) {
    const whole = new Uint8Array(await request.arrayBuffer());
    if (whole.byteLength > maxBytes) throw tooLarge(maxBytes);
    return whole;
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) out.set(c, at), (at += c.byteLength);
  return out;
}

function tooLarge(max: number) {
  return new AppError(413, "payload_too_large", `the request body is larger than ${max} bytes`);
}
