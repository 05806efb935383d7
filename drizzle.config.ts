import { defineConfig } from "drizzle-kit";

// Migrations are generated from src/db/schema.ts with `bun run db:generate` and applied lazily
// by the app on the first event (src/db/migrate.ts); no database is needed to generate them.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.ts",
  out: "./drizzle",
});
