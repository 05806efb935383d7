import { connectDatabase, type Database } from "../../src/db/client.ts";
import { lazyMigrator } from "../../src/db/migrate.ts";
import { createProjector, type Projector } from "../../src/pathways/projector.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres.ts";

export interface ProjectionDb {
  db: TestDatabase;
  database: Database;
  projector: Projector;
  stop(): Promise<void>;
}

/** A fresh migrated database and a projector on it (no HTTP, no delivery loop). */
export async function startProjectionDb(label: string, max = 6): Promise<ProjectionDb> {
  const db = await createTestDatabase(label);
  const database = connectDatabase(db.url, { max });
  const migrator = lazyMigrator(database.sql, db.url);
  await migrator.ensure();
  const projector = createProjector(database.sql, migrator.ensure);
  return {
    db,
    database,
    projector,
    async stop() {
      await database.close();
      await db.drop();
    },
  };
}
