import { z } from "zod";
import { defineContract } from "../contract.ts";
import { projectReleaseHealth } from "../handlers/project-release-health.ts";

export const RELEASE_HEALTH_FLOW = "release-health.v0";
export const SESSIONS_COUNTED = "release-health.sessions-counted.v0";

/**
 * Session counts one Sentry `session` or `sessions` item adds to a project, release,
 * environment and hour. Counts only: no session id, device id or user attribute is carried.
 */
export const sessionsCountedSchema = z.object({
  ingestId: z.string().uuid(),
  projectId: z.number().int().positive(),
  site: z.string().min(1).max(253),
  release: z.string().min(1).max(200),
  environment: z.string().min(1).max(64),
  hour: z.string().datetime({ offset: true }),
  started: z.number().int().min(0),
  errored: z.number().int().min(0),
  crashed: z.number().int().min(0),
  abnormal: z.number().int().min(0),
});
export type SessionsCounted = z.infer<typeof sessionsCountedSchema>;

export const sessionsCounted = defineContract({
  flowType: RELEASE_HEALTH_FLOW,
  eventType: SESSIONS_COUNTED,
  description: "Sessions started/errored/crashed/abnormal for a project, release, environment and hour",
  schema: sessionsCountedSchema,
  label: "sessions",
  noun: ["session count", "session counts"],
  tables: ["session_counts", "release_health"],
  project: projectReleaseHealth,
});
