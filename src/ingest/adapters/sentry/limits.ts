/**
 * Size limits of the Sentry endpoints, declared once. SDKs keep envelopes small (an error event
 * with breadcrumbs is 5–50 KB), so these leave room for real events while bounding the work one
 * request can cause: the compressed body, the body after decompression, each item, the number
 * of items, and the parts of an item we look inside.
 */
export const SENTRY_LIMITS = {
  /** Request body as sent (compressed or not). */
  bodyBytes: 1024 * 1024,
  /** Body after decompression: a decompression bomb stops here. */
  decompressedBytes: 4 * 1024 * 1024,
  /** One `event`, `feedback`, `user_report`, `session` or `sessions` item. */
  itemBytes: 1024 * 1024,
  /** Items in one envelope (SDKs send 1–5). */
  items: 100,
  /** Envelope and item header lines. */
  headerBytes: 16 * 1024,
  /** Buckets in one `sessions` aggregate item. */
  sessionBuckets: 100,
  /** Exception entries, and frames per stack trace, read from one event. */
  exceptions: 16,
  frames: 1000,
  breadcrumbs: 200,
} as const;

export type SentryLimits = { -readonly [K in keyof typeof SENTRY_LIMITS]: number };
