import postgres from "postgres";

export type Sql = postgres.Sql;
/** A connection inside a transaction (what `inTransaction` hands its callback). */
export type Tx = postgres.TransactionSql;

/**
 * Runs `fn` in one transaction on `sql` and returns its result. The one place the driver's
 * `begin` is called, so callers get a typed `Tx` instead of casting.
 */
export function inTransaction<T>(sql: Sql, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return sql.begin(fn) as Promise<T>;
}

export interface Database {
  sql: Sql;
  url: string;
  close(): Promise<void>;
}

/**
 * One postgres.js pool for the process, used with plain tagged-template SQL on the hot paths.
 * (drizzle gets its own short-lived client in migrate.ts: it rewrites a client's JSON and date
 * serializers, which would change what raw queries on this pool send and receive.)
 * A short connect timeout makes an outage surface as a quick 503 instead of requests hanging
 * for the driver's default 30 s.
 */
export function connectDatabase(url: string, opts: { max?: number; connectTimeoutSec?: number } = {}): Database {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    connect_timeout: opts.connectTimeoutSec ?? 3,
    // postgres.js waits up to 20 s (growing with each failure) before reconnecting; requests
    // would hang that long during an outage. Retry promptly: a refused connection fails fast.
    backoff: () => 0.05,
    idle_timeout: 60,
    onnotice: () => {},
    connection: { application_name: "private-analytics" },
  });
  return { sql, url, close: () => sql.end({ timeout: 5 }) };
}

/** true when the error means "the database is not reachable right now" (not bad SQL or data). */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; errno?: string; message?: string } | null;
  if (!e) return false;
  const code = String(e.code ?? e.errno ?? "");
  return (
    ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED"].includes(code) ||
    code.startsWith("08") || // connection exceptions
    code === "57P01" ||
    code === "57P02" ||
    code === "57P03" // admin shutdown, crash shutdown, cannot connect now
  );
}
