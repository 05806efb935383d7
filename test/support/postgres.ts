import postgres from "postgres";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedPostgres, type EmbeddedServer } from "../../src/db/embedded.ts";
import { silentLogger } from "../../src/log.ts";

/**
 * A real PostgreSQL for tests: `DATABASE_URL` when set (CI may provide one), else one embedded
 * server for the whole `bun test` run (stopped by test/support/setup.ts). Each caller gets its
 * own fresh database, so test files never see each other's rows.
 */
export const TEST_PG_PORT = Number(process.env.TEST_PG_PORT ?? 54339);
let server: Promise<EmbeddedServer> | null = null;

export function testServer(): Promise<EmbeddedServer> {
  server ??= startEmbeddedPostgres({ dataDir: join(tmpdir(), `analytics-test-pg-${TEST_PG_PORT}`), port: TEST_PG_PORT, database: "postgres", log: silentLogger });
  return server;
}

export async function stopTestServer() {
  if (server) await (await server).stop();
  server = null;
}

function adminUrl(): Promise<string> {
  const external = process.env.DATABASE_URL;
  if (external) return Promise.resolve(external);
  return testServer().then((s) => s.url);
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates an empty database named `t_<label>_<random>` and returns its URL. */
export async function createTestDatabase(label = "db"): Promise<TestDatabase> {
  const base = await adminUrl();
  const name = `t_${label.replace(/\W/g, "_").toLowerCase()}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    async drop() {
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
      await a.end();
    },
  };
}
