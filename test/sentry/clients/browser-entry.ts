// Bundled with `bun build` by sentry-browser-sdk.e2e.test.ts: the real @sentry/browser as a
// page would load it from its own bundle.
import * as Sentry from "@sentry/browser";

(window as unknown as { Sentry: typeof Sentry }).Sentry = Sentry;
