import zlib from "node:zlib";
import { AppError } from "../../../errors.ts";
import type { Envelope } from "./envelope.ts";
import type { SentryLimits } from "./limits.ts";

/**
 * The legacy `/store/` body: one JSON event. Old SDKs (raven-python, raven-java) sent it as
 * base64 of zlib-deflated JSON; that is undone here under the same decompressed-size cap.
 * Returned as a one-item envelope so both endpoints share one path.
 */
export function storeBodyToEnvelope(body: Uint8Array, limits: Pick<SentryLimits, "itemBytes">): Envelope {
  let bytes = body;
  const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first === undefined) throw new AppError(400, "empty_body", "the request body is empty; send a JSON event");
  if (first !== 0x7b /* { */) {
    const text = new TextDecoder().decode(bytes).trim();
    if (!/^[A-Za-z0-9+/=_-]+$/.test(text)) throw new AppError(400, "invalid_item", "the body is neither a JSON event nor base64 of a deflated one");
    try {
      bytes = new Uint8Array(zlib.inflateSync(Buffer.from(text, "base64"), { maxOutputLength: limits.itemBytes }));
    } catch (err) {
      if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" || /larger than/.test(String(err)))
        throw new AppError(413, "item_too_large", `an event may be at most ${limits.itemBytes} bytes`);
      throw new AppError(400, "invalid_encoding", "the body is not base64 of zlib-deflated JSON");
    }
  }
  if (bytes.byteLength > limits.itemBytes) throw new AppError(413, "item_too_large", `an event may be at most ${limits.itemBytes} bytes`);
  return { header: {}, items: [{ type: "event", header: { type: "event" }, payload: bytes }] };
}
