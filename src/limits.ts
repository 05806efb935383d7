/**
 * Every field limit, in one table. The request schemas (TypeBox, http/schemas.ts), the event
 * contracts (zod, pathways/contracts/) and the crash processing all read them from here, so a
 * limit is changed in one place. What is accepted on the wire can be larger than what an event
 * stores (a 10,000-character message is scrubbed and cut to 2,000): those come in pairs.
 */
export const LIMITS = {
  /** A host name. */
  site: 253,
  pathname: 2048,
  url: 4096,
  referrer: 2048,
  referrerHost: 253,
  referrerSource: 100,
  title: 512,
  browser: 100,
  browserVersion: 50,
  os: 100,
  osVersion: 50,
  utm: 256,
  eventName: 120,
  propKeys: 30,
  propKey: 64,
  propValue: 512,
  /** Crash: the exception class as sent and as stored; the fingerprint reads at most the first 128. */
  errorType: 200,
  fingerprintErrorType: 128,
  /** Crash message: accepted on the wire / stored after scrubbing. */
  message: 10_000,
  storedMessage: 2000,
  stack: 32_768,
  /** Frames accepted / kept (the innermost). */
  frames: 256,
  storedFrames: 64,
  /** A stack no parser understood, kept as scrubbed text for reading: 16 KB holds a deep trace's useful part. */
  storedRawStack: 16_384,
  frameFile: 2048,
  frameFunction: 1024,
  /** Breadcrumbs accepted / kept (the last). */
  breadcrumbs: 200,
  storedBreadcrumbs: 50,
  release: 200,
  platform: 100,
  crashOsVersion: 100,
  contextKeys: 50,
  fingerprintParts: 10,
  fingerprintPart: 200,
} as const;
