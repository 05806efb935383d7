import type { Sql } from "../db/client.ts";
import { AppError } from "../errors.ts";
import {
  CRASH_REPORTED,
  CUSTOM_EVENT_TRACKED,
  PAGEVIEW_TRACKED,
  crashReportedSchema,
  customEventTrackedSchema,
  pageviewTrackedSchema,
  type CrashReported,
  type CustomEventTracked,
  type PageviewTracked,
} from "./contracts/index.ts";
import { projectCrashes } from "./handlers/project-crashes.ts";
import { projectCustomEvents } from "./handlers/project-custom-events.ts";
import { projectPageviews } from "./handlers/project-pageviews.ts";

/** An event as the event store holds it: type plus payload. */
export interface StoredEvent {
  flowType: string;
  eventType: string;
  payload: unknown;
}

export interface ProjectionResult {
  /** Rows written per projection (0 for a replayed event). */
  written: { pageview: number; custom_event: number; crash: number };
  /** Events no handler accepts (unknown type, payload failing its contract). */
  rejected: { event: StoredEvent; error: AppError }[];
}

/**
 * The projection handlers, batch-first: the embedded delivery loop hands them a few thousand
 * events in one transaction, the Flowcore transformer endpoint one at a time through the pathways
 * router. Either way the same functions write the same rows, idempotent on the ingest id.
 */
export function createProjector(sql: Sql, ensureSchema: () => Promise<void>) {
  /** Projects a batch inside `tx`, a transaction the caller owns. */
  async function projectIn(tx: Sql, events: StoredEvent[]): Promise<ProjectionResult> {
    const pageviews: PageviewTracked[] = [];
    const custom: CustomEventTracked[] = [];
    const crashes: CrashReported[] = [];
    const rejected: ProjectionResult["rejected"] = [];
    for (const e of events) {
      const reject = (code: string, message: string) => rejected.push({ event: e, error: new AppError(422, code, message) });
      const schema = e.eventType === PAGEVIEW_TRACKED ? pageviewTrackedSchema : e.eventType === CUSTOM_EVENT_TRACKED ? customEventTrackedSchema : e.eventType === CRASH_REPORTED ? crashReportedSchema : null;
      if (!schema) {
        reject("unknown_event_type", `no handler for event type "${e.flowType}/${e.eventType}"`);
        continue;
      }
      const r = schema.safeParse(e.payload);
      if (!r.success) {
        reject("invalid_payload", `payload does not match ${e.eventType}: ${r.error.issues[0]?.path.join(".")} ${r.error.issues[0]?.message}`);
        continue;
      }
      if (e.eventType === PAGEVIEW_TRACKED) pageviews.push(r.data as PageviewTracked);
      else if (e.eventType === CUSTOM_EVENT_TRACKED) custom.push(r.data as CustomEventTracked);
      else crashes.push(r.data as CrashReported);
    }
    return {
      written: {
        pageview: await projectPageviews(tx, pageviews),
        custom_event: await projectCustomEvents(tx, custom),
        crash: await projectCrashes(tx, crashes),
      },
      rejected,
    };
  }

  return {
    projectIn,
    /** Projects a batch in its own transaction; throws the first rejection, writing nothing. */
    async project(events: StoredEvent[]): Promise<ProjectionResult> {
      await ensureSchema();
      return sql.begin(async (tx) => {
        const result = await projectIn(tx as unknown as Sql, events);
        if (result.rejected[0]) throw result.rejected[0].error;
        return result;
      });
    },
  };
}
export type Projector = ReturnType<typeof createProjector>;
