import { Type, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";

/**
 * Every environment variable the service reads, in one place. `env.example` documents the same
 * list; a test keeps the two in step. Values are strings in the environment; `parseConfig`
 * converts and validates them once and fails fast with a message naming the variable.
 */
const Bool = Type.Union([Type.Literal("true"), Type.Literal("false"), Type.Literal("1"), Type.Literal("0")]);
const Int = Type.String({ pattern: "^[0-9]+$" });

export const EnvSchema = Type.Object({
  PORT: Type.Optional(Int),
  HOST: Type.Optional(Type.String({ minLength: 1 })),
  DATABASE_URL: Type.Optional(Type.String({ pattern: "^postgres(ql)?://" })),
  POSTGRES_CONNECTION_STRING: Type.Optional(Type.String({ pattern: "^postgres(ql)?://" })),
  DATA_DIR: Type.Optional(Type.String({ minLength: 1 })),
  EMBEDDED_PG_PORT: Type.Optional(Int),
  DB_POOL_SIZE: Type.Optional(Int),
  SALT_MODE: Type.Optional(Type.Union([Type.Literal("random"), Type.Literal("derived")])),
  SECRET_KEY: Type.Optional(Type.String({ minLength: 32 })),
  ALLOWED_SITES: Type.Optional(Type.String()),
  TRUST_PROXY: Type.Optional(Type.String()),
  CORS_ORIGINS: Type.Optional(Type.String()),
  MAX_BODY_BYTES: Type.Optional(Int),
  RATE_LIMIT_RPS: Type.Optional(Type.String({ pattern: "^[0-9]+(\\.[0-9]+)?$" })),
  RATE_LIMIT_BURST: Type.Optional(Int),
  LOG_LEVEL: Type.Optional(
    Type.Union(["debug", "info", "warn", "error", "silent"].map((l) => Type.Literal(l))),
  ),
  FLOWCORE_TENANT: Type.Optional(Type.String({ minLength: 1 })),
  FLOWCORE_DATA_CORE: Type.Optional(Type.String({ minLength: 1 })),
  FLOWCORE_WEBHOOK_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  FLOWCORE_WEBHOOK_BASEURL: Type.Optional(Type.String({ pattern: "^https?://" })),
  FLOWCORE_TRANSFORMER_SECRET: Type.Optional(Type.String({ minLength: 8 })),
  EVENTLOG_RETENTION_HOURS: Type.Optional(Int),
  EVENTLOG_COMMIT_TIMEOUT_MS: Type.Optional(Int),
  FLOWCORE_EMIT_TIMEOUT_MS: Type.Optional(Int),
  FLOWCORE_RETRY_MAX_MS: Type.Optional(Int),
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 8 })),
  DELIVERY_ENABLED: Type.Optional(Bool),
});
export type Env = Static<typeof EnvSchema>;

/** What each variable is for, used in error messages so the fix is obvious. */
const HINTS: Record<string, string> = {
  PORT: "the HTTP port, a whole number such as 3000",
  EMBEDDED_PG_PORT: "the embedded PostgreSQL port, a whole number such as 54329",
  DATABASE_URL: "a connection URL such as postgres://user:pass@host:5432/db (or unset it for the embedded server)",
  POSTGRES_CONNECTION_STRING: "a connection URL such as postgres://user:pass@host:5432/db",
  SALT_MODE: "`random` (default) or `derived`",
  SECRET_KEY: "a random string of at least 32 characters (`openssl rand -hex 32`)",
  MAX_BODY_BYTES: "the largest accepted request body in bytes, such as 65536",
  RATE_LIMIT_RPS: "requests per second per client IP, such as 20 (0 turns rate limiting off)",
  RATE_LIMIT_BURST: "requests a client IP may send at once, such as 100",
  LOG_LEVEL: "one of debug, info, warn, error, silent",
  FLOWCORE_WEBHOOK_BASEURL: "an http(s) URL such as https://webhook.api.flowcore.io",
  FLOWCORE_TRANSFORMER_SECRET: "a shared secret of at least 8 characters",
  FLOWCORE_EMIT_TIMEOUT_MS: "milliseconds to wait for Flowcore to accept a batch, such as 15000",
  FLOWCORE_RETRY_MAX_MS: "the longest pause between retries while Flowcore is unreachable, in milliseconds, such as 30000",
  EVENTLOG_COMMIT_TIMEOUT_MS: "milliseconds an ingest request waits for its event to be committed before a 503, such as 5000",
  METRICS_TOKEN: "a bearer token of at least 8 characters",
  DELIVERY_ENABLED: "true or false",
};

export type TrustProxy = { kind: "none" } | { kind: "header"; header: string; hops: number };

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  embeddedPgPort: number;
  dbPoolSize: number;
  saltMode: "random" | "derived";
  secretKey: string | null;
  allowedSites: string[] | null;
  trustProxy: TrustProxy;
  corsOrigins: string[] | "*";
  maxBodyBytes: number;
  /** null = rate limiting off. */
  rateLimit: { rate: number; burst: number } | null;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  flowcore: {
    tenant: string;
    dataCore: string;
    apiKey: string;
    baseUrl: string;
  } | null;
  transformerSecret: string | null;
  eventLogRetentionHours: number;
  /** Longest wait for an event's commit before the request is answered 503 (and nothing is stored). */
  eventLogCommitTimeoutMs: number;
  /** Flowcore mode: per-batch timeout and the cap of the retry backoff. */
  flowcoreEmitTimeoutMs: number;
  flowcoreRetryMaxMs: number;
  metricsToken: string | null;
  deliveryEnabled: boolean;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

export const FLOWCORE_DEFAULT_BASEURL = "https://webhook.api.flowcore.io";

/** Parses the environment once. Throws ConfigError naming every bad variable and what to set. */
export function parseConfig(source: Record<string, string | undefined> = process.env): Config {
  const env: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = source[key];
    if (value !== undefined && value !== "") env[key] = value;
  }
  const problems = [...Value.Errors(EnvSchema, env)].map((e) => {
    const name = e.path.replace(/^\//, "");
    const hint = HINTS[name] ? `set it to ${HINTS[name]}` : e.message;
    return `${name}: invalid value (${hint})`;
  });
  const e = env as Env;
  const saltMode = e.SALT_MODE ?? "random";
  if (saltMode === "derived" && !e.SECRET_KEY) {
    problems.push(`SECRET_KEY: required when SALT_MODE=derived (set it to ${HINTS.SECRET_KEY})`);
  }
  const flowcoreVars = [e.FLOWCORE_TENANT, e.FLOWCORE_DATA_CORE, e.FLOWCORE_WEBHOOK_API_KEY];
  const flowcoreSet = flowcoreVars.filter(Boolean).length;
  if (flowcoreSet > 0 && flowcoreSet < 3) {
    problems.push(
      "FLOWCORE_TENANT, FLOWCORE_DATA_CORE, FLOWCORE_WEBHOOK_API_KEY: set all three for Flowcore mode, or none for embedded mode",
    );
  }
  if (flowcoreSet === 3 && !e.FLOWCORE_TRANSFORMER_SECRET) {
    problems.push("FLOWCORE_TRANSFORMER_SECRET: required in Flowcore mode so Flowcore can deliver events to /api/transformer");
  }
  const trustProxy = parseTrustProxy(e.TRUST_PROXY);
  if (typeof trustProxy === "string") problems.push(trustProxy);
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join("\n  - ")}\nSee env.example for every variable and its default.`);
  }

  const list = (v: string | undefined) =>
    v ? v.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean) : null;
  const cors = list(e.CORS_ORIGINS);
  return {
    port: Number(e.PORT ?? 3000),
    host: e.HOST ?? "0.0.0.0",
    databaseUrl: e.DATABASE_URL ?? e.POSTGRES_CONNECTION_STRING ?? null,
    dataDir: e.DATA_DIR ?? ".data",
    embeddedPgPort: Number(e.EMBEDDED_PG_PORT ?? 54329),
    dbPoolSize: Number(e.DB_POOL_SIZE ?? 10),
    saltMode,
    secretKey: e.SECRET_KEY ?? null,
    allowedSites: list(e.ALLOWED_SITES),
    trustProxy: trustProxy as TrustProxy,
    corsOrigins: !cors || cors.includes("*") ? "*" : cors,
    maxBodyBytes: Number(e.MAX_BODY_BYTES ?? 65536),
    rateLimit: Number(e.RATE_LIMIT_RPS ?? 20) > 0 ? { rate: Number(e.RATE_LIMIT_RPS ?? 20), burst: Math.max(1, Number(e.RATE_LIMIT_BURST ?? 100)) } : null,
    logLevel: (e.LOG_LEVEL ?? "info") as Config["logLevel"],
    flowcore:
      flowcoreSet === 3
        ? {
            tenant: e.FLOWCORE_TENANT!,
            dataCore: e.FLOWCORE_DATA_CORE!,
            apiKey: e.FLOWCORE_WEBHOOK_API_KEY!,
            baseUrl: (e.FLOWCORE_WEBHOOK_BASEURL ?? FLOWCORE_DEFAULT_BASEURL).replace(/\/+$/, ""),
          }
        : null,
    transformerSecret: e.FLOWCORE_TRANSFORMER_SECRET ?? null,
    eventLogRetentionHours: Number(e.EVENTLOG_RETENTION_HOURS ?? 168),
    eventLogCommitTimeoutMs: Math.max(1, Number(e.EVENTLOG_COMMIT_TIMEOUT_MS ?? 5000)),
    flowcoreEmitTimeoutMs: Math.max(1, Number(e.FLOWCORE_EMIT_TIMEOUT_MS ?? 15_000)),
    flowcoreRetryMaxMs: Math.max(1, Number(e.FLOWCORE_RETRY_MAX_MS ?? 30_000)),
    metricsToken: e.METRICS_TOKEN ?? null,
    deliveryEnabled: e.DELIVERY_ENABLED ? ["true", "1"].includes(e.DELIVERY_ENABLED) : true,
  };
}

/**
 * TRUST_PROXY: unset/`false` → the socket address; `true` → the first address of
 * X-Forwarded-For; `x-real-ip`, `cf-connecting-ip`, ... → that header; a number N → the N-th
 * address from the right of X-Forwarded-For (N trusted proxy hops).
 */
function parseTrustProxy(value: string | undefined): TrustProxy | string {
  const v = value?.trim().toLowerCase();
  if (!v || v === "false" || v === "0") return { kind: "none" };
  if (v === "true") return { kind: "header", header: "x-forwarded-for", hops: 0 };
  if (/^[0-9]+$/.test(v)) return { kind: "header", header: "x-forwarded-for", hops: Number(v) };
  if (/^[a-z0-9-]+$/.test(v)) return { kind: "header", header: v, hops: 0 };
  return "TRUST_PROXY: invalid value (set it to false, true, a hop count such as 1, or a header name such as x-real-ip)";
}
