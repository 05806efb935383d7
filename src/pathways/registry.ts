import type { Contract } from "./contract.ts";
import { contractKey } from "./contract.ts";
import { crashGroupDeleted } from "./contracts/crash-group-deleted.v0.ts";
import { crashGroupStatusChanged } from "./contracts/crash-group-status-changed.v0.ts";
import { crashReported } from "./contracts/crash.v0.ts";
import { customEventTracked } from "./contracts/custom-event.v0.ts";
import { feedbackDeleted } from "./contracts/feedback-deleted.v0.ts";
import { feedbackNoteAdded } from "./contracts/feedback-note-added.v0.ts";
import { feedbackStatusChanged } from "./contracts/feedback-status-changed.v0.ts";
import { feedbackSubmitted } from "./contracts/feedback.v0.ts";
import { pageviewTracked } from "./contracts/pageview.v0.ts";
import { sessionsCounted } from "./contracts/release-health.v0.ts";
import { webVitalsMeasured } from "./contracts/web-vitals.v0.ts";

/**
 * Every event contract the code emits and projects, declared once. Adding an event type is one
 * file in contracts/ (schema + handler, see crash-group-status-changed.v0.ts) plus one line here,
 * and a matching entry in flowcore.yaml (test/flowcore/manifests.test.ts checks it).
 *
 * Order matters: within one batch the projector runs handlers in this order, so a contract that
 * refers to rows another one creates (a status change → its crash group) comes after it. The
 * contracts that make visits (`visits`) come first and are projected together, in one step.
 */
export const CONTRACTS: readonly Contract[] = [
  pageviewTracked,
  customEventTracked,
  crashReported,
  crashGroupStatusChanged,
  crashGroupDeleted,
  feedbackSubmitted,
  feedbackStatusChanged,
  feedbackNoteAdded,
  feedbackDeleted,
  sessionsCounted,
  webVitalsMeasured,
];

const BY_KEY = new Map(CONTRACTS.map((c) => [contractKey(c), c]));

/** The contract for a stored or delivered event, or undefined when no handler accepts it. */
export function contractFor(flowType: string, eventType: string): Contract | undefined {
  return BY_KEY.get(`${flowType}/${eventType}`);
}

/** The metric labels, one per contract (the `type` label's whole vocabulary). */
export const EVENT_LABELS = CONTRACTS.map((c) => c.label);

/** Every table a handler writes: what `--rebuild` empties. */
export const PROJECTION_TABLES = [...new Set(CONTRACTS.flatMap((c) => c.tables))];
