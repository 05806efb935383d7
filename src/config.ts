import { Type, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { normaliseSite } from "./ingest/steps/resolve-site.ts";

/**
 * Every environment variable the service reads, in one place. `env.example` documents the same
 * list; a test keeps the two in step. Values are strings in the environment; `parseConfig`
 * converts and validates them once and fails fast with a message naming the variable.
 */
const Bool = Type.Union([Type.Literal("true"), Type.Literal("false"), Type.Literal("1"), Type.Literal("0")]);
const Int = Type.String({ pattern: "^[0-9]+$" });

/**
 * The accepted range of every whole-number variable. A value outside it would fail late (PORT=99999
 * only after PostgreSQL started) or behave absurdly (a 0-byte body limit), so it stops start-up.
 */
const RANGES: Record<string, [min: number, max: number]> = {
  PORT: [1, 65_535],
  // The embedded server runs unprivileged, so it cannot bind a port below 1024.
  EMBEDDED_PG_PORT: [1024, 65_535],
  DB_POOL_SIZE: [1, 1000],
  MAX_BODY_BYTES: [1024, 64 * 1024 * 1024],
  RATE_LIMIT_RPS: [0, 1_000_000],
  RATE_LIMIT_BURST: [1, 1_000_000],
  EVENTLOG_RETENTION_HOURS: [0, 87_600],
  FLOWCORE_EMIT_TIMEOUT_MS: [1, 3_600_000],
  FLOWCORE_RETRY_MAX_MS: [1, 3_600_000],
  EVENTLOG_COMMIT_TIMEOUT_MS: [1, 600_000],
};

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
  LOG_LEVEL: Type.Optional(Type.Union(["debug", "info", "warn", "error", "silent"].map((l) => Type.Literal(l)))),
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
  COUNTRY_HEADER: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9-]+$" })),
  RETENTION_DAYS: Type.Optional(Int),
  CRASH_RETENTION_DAYS: Type.Optional(Int),
  REGISTERED_SITES_ONLY: Type.Optional(Bool),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: "^https?://[^\\s/?#]+(/[^\\s?#]*)?$" })),
  ADMIN_EMAIL: Type.Optional(Type.String({ pattern: "^[^\\s@]+@[^\\s@]+$", maxLength: 254 })),
  ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 10, maxLength: 256 })),
  HMAC_SECRET: Type.Optional(Type.String({ minLength: 16 })),
  UMAMI_WEBSITES: Type.Optional(Type.String({ pattern: "^\\s*([0-9A-Za-z-]+\\s*=\\s*[^,=\\s]+\\s*)(,\\s*[0-9A-Za-z-]+\\s*=\\s*[^,=\\s]+\\s*)*,?\\s*$" })),
});
export type Env = Static<typeof EnvSchema>;

/** What each variable is for, used in error messages so the fix is obvious. */
const HINTS: Record<string, string> = {
  PORT: "the HTTP port, a whole number from 1 to 65535 such as 3000",
  EMBEDDED_PG_PORT: "the embedded PostgreSQL port, a whole number from 1024 to 65535 such as 54329",
  DB_POOL_SIZE: "the number of database connections, from 1 to 1000, such as 10",
  DATABASE_URL: "a connection URL such as postgres://user:pass@host:5432/db (or unset it for the embedded server)",
  POSTGRES_CONNECTION_STRING: "a connection URL such as postgres://user:pass@host:5432/db",
  SALT_MODE: "`random` (default) or `derived`",
  SECRET_KEY: "a random string of at least 32 characters (`openssl rand -hex 32`)",
  MAX_BODY_BYTES: "the largest accepted request body in bytes, from 1024 to 67108864, such as 65536",
  RATE_LIMIT_RPS: "requests per second per client IP, such as 20 (0 turns rate limiting off)",
  RATE_LIMIT_BURST: "requests a client IP may send at once, at least 1, such as 100",
  ALLOWED_SITES: "host names such as example.com,blog.example.com (a URL's host is taken, `www.` and the port are dropped)",
  EVENTLOG_RETENTION_HOURS: "hours to keep forwarded events, from 0 to 87600, such as 168",
  LOG_LEVEL: "one of debug, info, warn, error, silent",
  FLOWCORE_WEBHOOK_BASEURL: "an http(s) URL such as https://webhook.api.flowcore.io",
  FLOWCORE_TRANSFORMER_SECRET: "a shared secret of at least 8 characters",
  FLOWCORE_EMIT_TIMEOUT_MS: "milliseconds to wait for Flowcore to accept a batch, from 1 to 3600000, such as 15000",
  FLOWCORE_RETRY_MAX_MS: "the longest pause between retries while Flowcore is unreachable, in milliseconds, from 1 to 3600000, such as 30000",
  EVENTLOG_COMMIT_TIMEOUT_MS: "milliseconds an ingest request waits for its event to be committed before a 503, from 1 to 600000, such as 5000",
  METRICS_TOKEN: "a bearer token of at least 8 characters",
  DELIVERY_ENABLED: "true or false",
  COUNTRY_HEADER: "the name of a header your CDN sets to the visitor's country, such as cf-ipcountry",
  RETENTION_DAYS: "days to keep raw events, such as 730 (unset keeps them forever)",
  CRASH_RETENTION_DAYS: "days to keep crash reports, such as 90",
  REGISTERED_SITES_ONLY: "true (accept events only for the domains of registered projects) or false",
  PUBLIC_URL: "the URL clients reach this server at, such as https://analytics.example.com (used in DSNs and share links)",
  ADMIN_EMAIL: "the first admin's email address, such as admin@example.com",
  ADMIN_PASSWORD: "the first admin's password, at least 10 characters",
  HMAC_SECRET: "the shared secret (at least 16 characters) seed-000 crash clients sign /report bodies with",
  UMAMI_WEBSITES: "comma-separated <Umami website id>=<site> pairs, such as 3f1c…=example.com",
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
  /** Settings that work but are risky; logged as warnings at start-up. */
  warnings: string[];
  /** A trusted CDN header carrying the visitor's country (lower case), or null: look it up. */
  countryHeader: string | null;
  /** Days raw page views and custom events are kept; null keeps them forever. */
  retentionDays: number | null;
  /** Days crash reports are kept. */
  crashRetentionDays: number;
  /** Drop events for sites that are no registered project's domain (unknown_site). */
  registeredSitesOnly: boolean;
  /** Where clients reach this server, without a trailing slash; null = http://HOST:PORT. */
  publicUrl: string | null;
  /** Creates the first admin at start when no user exists (both set, or neither). */
  firstAdmin: { email: string; password: string } | null;
  /** Seed 000's /report: bodies must carry a valid X-HMAC-Signature when set. */
  hmacSecret: string | null;
  /** Umami website id (lower case) → the site its events are stored under. */
  umamiWebsites: ReadonlyMap<string, string>;
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
  const invalid = new Set(problems.map((p) => p.slice(0, p.indexOf(":"))));
  for (const [name, [min, max]] of Object.entries(RANGES)) {
    const value = env[name];
    if (value === undefined || invalid.has(name)) continue;
    const n = Number(value);
    if (!(n >= min && n <= max)) problems.push(`${name}: ${value} is out of range (set it to ${HINTS[name] ?? `a number from ${min} to ${max}`})`);
  }
  const e = env as Env;
  const saltMode = e.SALT_MODE ?? "random";
  if (saltMode === "derived" && !e.SECRET_KEY) {
    problems.push(`SECRET_KEY: required when SALT_MODE=derived (set it to ${HINTS.SECRET_KEY})`);
  }
  const flowcoreVars = [e.FLOWCORE_TENANT, e.FLOWCORE_DATA_CORE, e.FLOWCORE_WEBHOOK_API_KEY];
  const flowcoreSet = flowcoreVars.filter(Boolean).length;
  if (flowcoreSet > 0 && flowcoreSet < 3) {
    problems.push("FLOWCORE_TENANT, FLOWCORE_DATA_CORE, FLOWCORE_WEBHOOK_API_KEY: set all three for Flowcore mode, or none for embedded mode");
  }
  if (flowcoreSet === 3 && !e.FLOWCORE_TRANSFORMER_SECRET) {
    problems.push("FLOWCORE_TRANSFORMER_SECRET: required in Flowcore mode so Flowcore can deliver events to /api/transformer");
  }
  if (Boolean(e.ADMIN_EMAIL) !== Boolean(e.ADMIN_PASSWORD)) {
    problems.push("ADMIN_EMAIL, ADMIN_PASSWORD: set both to create the first admin at start, or neither");
  }
  const trustProxy = parseTrustProxy(e.TRUST_PROXY);
  if (typeof trustProxy === "string") problems.push(trustProxy);
  const allowedSites = parseAllowedSites(e.ALLOWED_SITES);
  if (typeof allowedSites === "string") problems.push(allowedSites);
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join("\n  - ")}\nSee env.example for every variable and its default.`);
  }

  const list = (v: string | undefined) =>
    v
      ? v
          .split(",")
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean)
      : null;
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
    allowedSites: allowedSites as string[] | null,
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
    warnings: takesLeftmostForwardedFor(trustProxy as TrustProxy) ? [trustProxyWarning(e.TRUST_PROXY!)] : [],
    countryHeader: e.COUNTRY_HEADER?.toLowerCase() ?? null,
    retentionDays: e.RETENTION_DAYS ? Math.max(1, Number(e.RETENTION_DAYS)) : null,
    crashRetentionDays: Math.max(1, Number(e.CRASH_RETENTION_DAYS ?? 90)),
    registeredSitesOnly: e.REGISTERED_SITES_ONLY ? ["true", "1"].includes(e.REGISTERED_SITES_ONLY) : false,
    publicUrl: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/+$/, "") : null,
    firstAdmin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL.trim(), password: e.ADMIN_PASSWORD } : null,
    hmacSecret: e.HMAC_SECRET ?? null,
    umamiWebsites: new Map((list(e.UMAMI_WEBSITES) ?? []).map((pair) => pair.split("=").map((x) => x.trim()) as [string, string])),
  };
}

/**
 * ALLOWED_SITES: each entry normalised exactly like an incoming event's site (lower case, no
 * scheme, port or `www.`), so `https://www.Example.com` matches events for `example.com` instead
 * of silently dropping all of them as unknown_site. An entry that is not a host is an error.
 */
function parseAllowedSites(value: string | undefined): string[] | null | string {
  if (!value) return null;
  const entries = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) return null;
  const bad = entries.filter((s) => normaliseSite(s) === null);
  if (bad.length > 0)
    return `ALLOWED_SITES: ${bad.map((b) => JSON.stringify(b)).join(", ")} ${bad.length === 1 ? "is not a host name" : "are not host names"} (set it to ${HINTS.ALLOWED_SITES})`;
  return [...new Set(entries.map((s) => normaliseSite(s)!))];
}

/** `true` (or the header name alone) reads the left-most X-Forwarded-For entry: the client's own. */
function takesLeftmostForwardedFor(trust: TrustProxy): boolean {
  return trust.kind === "header" && trust.header === "x-forwarded-for" && trust.hops === 0;
}

function trustProxyWarning(value: string): string {
  return `TRUST_PROXY=${value.trim()} takes the first (left-most) X-Forwarded-For address, which the client writes itself when the proxy appends to the header (nginx, Traefik, Cloudflare and most others do): a client can then choose its address, evade the rate limit and pick its visitor-hash input. Set TRUST_PROXY to the number of proxies in front of the app (1 for a single nginx, Caddy or Traefik) or to a header the proxy overwrites (README: "Behind a reverse proxy").`;
}

/**
 * TRUST_PROXY: unset/`false` → the socket address; `true` → the first address of
 * X-Forwarded-For (kept for compatibility; it warns at start-up, see trustProxyWarning);
 * `x-real-ip`, `cf-connecting-ip`, ... → that header; a number N → the N-th address from the
 * right of X-Forwarded-For (N trusted proxy hops), the one a client cannot forge.
 */
function parseTrustProxy(value: string | undefined): TrustProxy | string {
  const v = value?.trim().toLowerCase();
  if (!v || v === "false" || v === "0") return { kind: "none" };
  if (v === "true") return { kind: "header", header: "x-forwarded-for", hops: 0 };
  if (/^[0-9]+$/.test(v)) {
    if (Number(v) <= 20) return { kind: "header", header: "x-forwarded-for", hops: Number(v) };
  } else if (/^[a-z0-9-]+$/.test(v)) return { kind: "header", header: v, hops: 0 };
  return "TRUST_PROXY: invalid value (set it to false, a hop count from 1 to 20 such as 1, or a header name such as x-real-ip)";
}
