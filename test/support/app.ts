import postgres from "postgres";
import { buildApp, type App } from "../../src/app.ts";
import type { Clock } from "../../src/clock.ts";
import { parseConfig } from "../../src/config.ts";
import { createLogger, type Logger } from "../../src/log.ts";
import { startRuntime, type Runtime } from "../../src/runtime.ts";
import { createTestDatabase, type TestDatabase } from "./postgres.ts";
import { countRows } from "./count-rows.ts";
import { until } from "./wait.ts";

export const CHROME_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

export interface TestApp {
  app: App;
  runtime: Runtime;
  db: TestDatabase;
  /** A separate connection for assertions. */
  sql: postgres.Sql;
  logs: string[];
  /** app.handle with JSON helpers; `ip` goes in X-Forwarded-For (tests run with TRUST_PROXY=true). */
  post(path: string, body: unknown, init?: { headers?: Record<string, string>; ip?: string; raw?: boolean }): Promise<Response>;
  /** Waits until `sql` returns `want` rows for `query` (or the deadline passes). */
  waitForRows(table: string, want: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

/** A full runtime (real Postgres database of its own) and its app, for in-process tests. */
export async function startTestApp(
  opts: { env?: Record<string, string>; clock?: Clock; delivery?: boolean; db?: TestDatabase; alerts?: Parameters<typeof startRuntime>[1]["alerts"] } = {},
): Promise<TestApp> {
  const db = opts.db ?? (await createTestDatabase("app"));
  // Rate limiting off unless a test turns it on: tests send bursts from one address.
  const config = parseConfig({ DATABASE_URL: db.url, TRUST_PROXY: "true", LOG_LEVEL: "debug", RATE_LIMIT_RPS: "0", ...opts.env });
  const logs: string[] = [];
  const log: Logger = createLogger(config.logLevel, (line) => logs.push(line));
  const runtime = await startRuntime(config, { log, clock: opts.clock, delivery: opts.delivery, alerts: opts.alerts });
  const app = buildApp(runtime.deps);
  const sql = postgres(db.url, { max: 2, onnotice: () => {} });
  return {
    app,
    runtime,
    db,
    sql,
    logs,
    post(path, body, init = {}) {
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "user-agent": CHROME_UA,
        "x-forwarded-for": init.ip ?? "203.0.113.7",
        ...init.headers,
      };
      return app.handle(new Request(`http://localhost${path}`, { method: "POST", headers, body: init.raw ? (body as string) : JSON.stringify(body) }));
    },
    async waitForRows(table, want, timeoutMs = 10_000) {
      // Returns the count either way: callers assert on it, so a timeout shows the real number.
      return until(
        async () => {
          const n = await countRows(sql, table);
          return n >= want ? n : null;
        },
        `${want} rows in ${table}`,
        timeoutMs,
      ).catch(() => countRows(sql, table));
    },
    async stop() {
      await runtime.stop();
      await sql.end({ timeout: 1 });
      if (!opts.db) await db.drop();
    },
  };
}
