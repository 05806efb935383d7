import type { Config } from "../config.ts";
import { connectDatabase, type Database } from "../db/client.ts";
import { startEmbeddedPostgres, type EmbeddedServer } from "../db/embedded.ts";
import { lazyMigrator, type Migrator } from "../db/migrate.ts";
import type { Logger } from "../log.ts";
import { createProjector, type Projector } from "../pathways/projector.ts";

export interface LocalDatabase {
  database: Database;
  migrator: Migrator;
  projector: Projector;
  embedded: EmbeddedServer | null;
  /** Closes the pool; stops the embedded server only if this command started it. */
  close(): Promise<void>;
}

/**
 * The database a CLI command works on: DATABASE_URL, or the embedded server. When the app is
 * already running, its embedded server is reused and left running (`adoptRunning: false`), so a
 * command never pulls the database out from under a live server.
 */
export async function openLocalDatabase(config: Config, log: Logger): Promise<LocalDatabase> {
  let embedded: EmbeddedServer | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log, adoptRunning: false });
    url = embedded.url;
  }
  const database = connectDatabase(url, { max: 4 });
  const migrator = lazyMigrator(database.sql, url);
  return {
    database,
    migrator,
    projector: createProjector(database.sql, migrator.ensure),
    embedded,
    async close() {
      await database.close().catch(() => {});
      if (embedded?.owned) await embedded.stop();
    },
  };
}
