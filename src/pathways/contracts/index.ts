export * from "./crash-group-deleted.v0.ts";
export * from "./crash-group-status-changed.v0.ts";
export * from "./crash.v0.ts";
export * from "./custom-event.v0.ts";
export * from "./pageview.v0.ts";
export * from "./feedback.v0.ts";
export * from "./release-health.v0.ts";
export { CONTRACTS, contractFor } from "../registry.ts";
