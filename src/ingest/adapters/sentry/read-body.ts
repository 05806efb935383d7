import zlib from "node:zlib";
import { AppError } from "../../../errors.ts";
import type { SentryLimits } from "./limits.ts";

type Decoder = zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress;

const DECODERS: Record<string, () => Decoder> = {
  gzip: () => zlib.createGunzip(),
  "x-gzip": () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/**
 * Reads a Sentry request body with two caps: the bytes on the wire (counted while reading,
 * never buffered past the cap) and the bytes after `Content-Encoding` is undone. Decompression
 * is streamed and stopped as soon as the output passes its cap, so a decompression bomb costs
 * at most the cap, never its full inflated size. Any Content-Type is accepted: SDKs send none,
 * `text/plain` or `application/x-sentry-envelope`.
 */
export async function readSentryBody(request: Request, limits: Pick<SentryLimits, "bodyBytes" | "decompressedBytes">): Promise<Uint8Array> {
  const encoding = (request.headers.get("content-encoding") ?? "").trim().toLowerCase();
  const decoder = encoding === "" || encoding === "identity" ? null : DECODERS[encoding];
  if (decoder === undefined) {
    throw new AppError(415, "unsupported_encoding", `Content-Encoding "${encoding.slice(0, 40)}" is not supported; send gzip, deflate, br or none`);
  }
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > limits.bodyBytes) throw tooLarge("request body", limits.bodyBytes);
  const raw = await readCapped(request, limits.bodyBytes);
  if (!decoder) {
    if (raw.byteLength > limits.decompressedBytes) throw tooLarge("request body", limits.decompressedBytes);
    return raw;
  }
  return inflateCapped(decoder(), raw, limits.decompressedBytes, encoding);
}

async function readCapped(request: Request, max: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge("request body", max);
    }
    chunks.push(value);
  }
  return concat(chunks, total);
}

/** Feeds `input` to the decoder and collects its output until it ends or passes `max`. */
function inflateCapped(decoder: Decoder, input: Uint8Array, max: number, encoding: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    let settled = false;
    const finish = (err: AppError | null) => {
      if (settled) return;
      settled = true;
      if (err) {
        decoder.destroy();
        reject(err);
      } else resolve(concat(chunks, total));
    };
    decoder.on("data", (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > max) return finish(tooLarge("decompressed body", max));
      chunks.push(chunk);
    });
    decoder.on("end", () => finish(null));
    decoder.on("error", () => finish(new AppError(400, "invalid_encoding", `the body is not valid ${encoding} data`)));
    decoder.end(input);
  });
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) out.set(c, at), (at += c.byteLength);
  return out;
}

function tooLarge(what: string, max: number) {
  return new AppError(413, "payload_too_large", `the ${what} is larger than ${max} bytes`);
}
