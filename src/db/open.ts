import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { createProjector, type Projector } from "../pathways/projector.ts";
import { connectDatabase, type Database } from "./client.ts";
import { startEmbeddedPostgres, type EmbeddedServer } from "./embedded.ts";
import { lazyMigrator, type Migrator } from "./migrate.ts";

export interface OpenDatabase {
  database: Database;
  migrator: Migrator;
  projector: Projector;
  embedded: EmbeddedServer | null;
  /** Closes the pool; stops the embedded server only if this process started it. */
  close(): Promise<void>;
}

/**
 * The database a process works on, opened the same way for the server and every CLI command:
 * DATABASE_URL, or the embedded server under DATA_DIR. The server adopts an embedded server left
 * running by a previous run of itself; a CLI command reuses a running app's server but never
 * adopts it (`adoptRunning: false`), so it never pulls the database out from under a live server.
 */
export async function openDatabase(config: Config, opts: { log: Logger; role: "server" | "cli" }): Promise<OpenDatabase> {
  let embedded: EmbeddedServer | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      log: opts.log,
      ...(opts.role === "cli" ? { adoptRunning: false } : {}),
    });
    url = embedded.url;
  }
  const { database, migrator, projector } = connectAt(url, opts.role === "cli" ? 4 : config.dbPoolSize);
  return {
    database,
    migrator,
    projector,
    embedded,
    async close() {
      await database.close().catch(() => {});
      if (embedded?.owned) await embedded.stop();
    },
  };
}

/**
 * A pool on a running server with its lazy migrator and a projector: what openDatabase opens, and
 * what the delivery thread opens for itself on the server's URL (delivery-worker.ts).
 */
export function connectAt(url: string, max: number): Pick<OpenDatabase, "database" | "migrator" | "projector"> {
  const database = connectDatabase(url, { max });
  const migrator = lazyMigrator(database.sql, url);
  return { database, migrator, projector: createProjector(database.sql, migrator.ensure) };
}
