import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/client.ts";
import type { EventLog } from "./eventlog/local-log.ts";
import type { Authorise } from "./http/query-routes.ts";
import type { Logger } from "./log.ts";
import type { Metrics } from "./metrics/registry.ts";
import type { Pathways } from "./pathways/pathways.ts";
import type { Projector } from "./pathways/projector.ts";
import type { SaltStore } from "./privacy/salt.ts";

import type { ComponentHealth } from "./health.ts";

export type { ComponentHealth } from "./health.ts";

/** Everything the HTTP app needs, built by runtime.ts (or by a test). */
export interface Deps {
  config: Config;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  database: Database;
  ensureSchema: () => Promise<void>;
  salts: SaltStore;
  eventLog: EventLog;
  projector: Projector;
  pathways: Pathways;
  mode: "embedded" | "flowcore";
  version: string;
  /** Extra components for /healthz (the Flowcore forwarder adds itself here). */
  healthChecks?: Record<string, () => ComponentHealth | Promise<ComponentHealth>>;
  newId?: () => string;
  /** Who may read statistics (the Stats API and exports); without one, nobody may. */
  authoriseReader?: Authorise;
}
