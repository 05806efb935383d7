import type { Pathways } from "../pathways/pathways.ts";

/** Why an emit to Flowcore failed: a closed list, so dashboards can show it. */
export type EmitFailureCause = "network" | "timeout" | "rate_limited" | "server_error" | "rejected" | "http_error" | "invalid_event" | "stopped";

export class EmitError extends Error {
  override name = "EmitError";
  constructor(
    readonly reason: EmitFailureCause,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Sends one batch with the pathways writer (`POST {base}/events/{tenant}/{dataCore}/{flow}/{event}`,
 * fire-and-forget: we only need Flowcore's acknowledgement, not our own transformer's). The writer
 * retries network errors, 408, 429 and 5xx a few times within about a second; longer outages are
 * the forwarder's job. It has no timeout of its own, so a hung connection is cut off here.
 */
export async function emitBatch(
  pathways: Pathways,
  flowType: string,
  eventType: string,
  payloads: Record<string, unknown>[],
  opts: { timeoutMs: number; signal: AbortSignal },
): Promise<string[]> {
  const write = pathways.write(`${flowType}/${eventType}` as never, { batch: true, data: payloads as never, options: { fireAndForget: true } }) as Promise<unknown>;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const cutoff = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EmitError("timeout", `no answer from Flowcore within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    onAbort = () => reject(new EmitError("stopped", "the forwarder is stopping"));
    if (opts.signal.aborted) onAbort();
    else opts.signal.addEventListener("abort", onAbort, { once: true });
  });
  // The abandoned request may still settle later; never let that become an unhandled rejection.
  write.catch(() => {});
  try {
    const ids = await Promise.race([write, cutoff]);
    return Array.isArray(ids) ? ids.map(String) : [String(ids)];
  } catch (err) {
    throw err instanceof EmitError ? err : classify(err);
  } finally {
    clearTimeout(timer);
    if (onAbort) opts.signal.removeEventListener("abort", onAbort);
  }
}

/**
 * The writer reports failures as a WebhookSendError carrying either the local exception (network)
 * or Flowcore's parsed error body (which carries `statusCode` for gateway and server errors).
 */
export function classify(err: unknown): EmitError {
  const e = err as { exception?: unknown; response?: { statusCode?: unknown; message?: unknown }; message?: string } | null;
  const message = String(e?.message ?? err).slice(0, 300);
  if (e?.exception !== undefined) return new EmitError("network", message);
  const status = typeof e?.response?.statusCode === "number" ? e.response.statusCode : null;
  const detail = typeof e?.response?.message === "string" ? `${message}: ${e.response.message.slice(0, 200)}` : message;
  if (status === 408) return new EmitError("timeout", detail);
  if (status === 429) return new EmitError("rate_limited", detail);
  if (status !== null && status >= 500) return new EmitError("server_error", detail);
  if (status !== null && status >= 400) return new EmitError("rejected", detail);
  // An error body without a status: a 4xx from the webhook API ({error, message}), or a body the
  // writer could not parse. Either way the batch was not accepted.
  return new EmitError(e?.response && "error" in e.response ? "rejected" : "http_error", detail);
}
