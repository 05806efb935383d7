import { describe, expect, test } from "bun:test";
import { ConfigError, EnvSchema, parseConfig } from "../src/config.ts";

describe("config", () => {
  test("no environment at all → embedded defaults", () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ port: 3000, databaseUrl: null, dataDir: ".data", embeddedPgPort: 54329, saltMode: "random", flowcore: null, maxBodyBytes: 65536 });
  });

  test("POSTGRES_CONNECTION_STRING is an alias of DATABASE_URL", () => {
    expect(parseConfig({ POSTGRES_CONNECTION_STRING: "postgres://u:p@h:5432/d" }).databaseUrl).toBe("postgres://u:p@h:5432/d");
  });

  test("a bad value stops start-up with a message naming the variable and what to set", () => {
    const attempt = (env: Record<string, string>) => {
      try {
        parseConfig(env);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error("expected a ConfigError");
    };
    expect(attempt({ PORT: "eighty" })).toContain("PORT");
    expect(attempt({ DATABASE_URL: "mysql://x" })).toContain("DATABASE_URL");
    expect(attempt({ SALT_MODE: "derived" })).toContain("SECRET_KEY: required when SALT_MODE=derived");
    expect(attempt({ SECRET_KEY: "short" })).toContain("at least 32 characters");
    expect(attempt({ FLOWCORE_TENANT: "acme" })).toContain("set all three");
    expect(attempt({ TRUST_PROXY: "yes please" })).toContain("TRUST_PROXY");
  });

  test("TRUST_PROXY forms", () => {
    expect(parseConfig({ TRUST_PROXY: "true" }).trustProxy).toEqual({ kind: "header", header: "x-forwarded-for", hops: 0 });
    expect(parseConfig({ TRUST_PROXY: "2" }).trustProxy).toEqual({ kind: "header", header: "x-forwarded-for", hops: 2 });
    expect(parseConfig({ TRUST_PROXY: "X-Real-IP" }).trustProxy).toEqual({ kind: "header", header: "x-real-ip", hops: 0 });
    expect(parseConfig({}).trustProxy).toEqual({ kind: "none" });
  });

  test("out-of-range ports and numbers stop start-up with a message naming the variable", () => {
    const problem = (env: Record<string, string>) => {
      try {
        parseConfig(env);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      return "accepted";
    };
    expect(problem({ PORT: "99999" })).toContain("PORT: 99999 is out of range (set it to the HTTP port, a whole number from 1 to 65535");
    expect(problem({ PORT: "0" })).toContain("PORT: 0 is out of range");
    expect(problem({ EMBEDDED_PG_PORT: "70000" })).toContain("EMBEDDED_PG_PORT: 70000 is out of range");
    expect(problem({ EMBEDDED_PG_PORT: "80" })).toContain("EMBEDDED_PG_PORT: 80 is out of range");
    expect(problem({ DB_POOL_SIZE: "0" })).toContain("DB_POOL_SIZE: 0 is out of range");
    expect(problem({ MAX_BODY_BYTES: "10" })).toContain("MAX_BODY_BYTES: 10 is out of range");
    expect(problem({ MAX_BODY_BYTES: "9".repeat(400) })).toContain("MAX_BODY_BYTES:");
    expect(problem({ RATE_LIMIT_BURST: "0" })).toContain("RATE_LIMIT_BURST: 0 is out of range");
    expect(problem({ FLOWCORE_EMIT_TIMEOUT_MS: "0" })).toContain("FLOWCORE_EMIT_TIMEOUT_MS: 0 is out of range");
    expect(problem({ TRUST_PROXY: "99" })).toContain("TRUST_PROXY: invalid value");
    // Every problem at once, so one restart fixes them all.
    const both = problem({ PORT: "99999", DB_POOL_SIZE: "0" });
    expect(both).toContain("PORT:");
    expect(both).toContain("DB_POOL_SIZE:");
    // The edges are accepted.
    expect(parseConfig({ PORT: "65535", EMBEDDED_PG_PORT: "1024", RATE_LIMIT_RPS: "0", EVENTLOG_RETENTION_HOURS: "0" })).toMatchObject({
      port: 65535,
      embeddedPgPort: 1024,
      rateLimit: null,
      eventLogRetentionHours: 0,
    });
  });

  test("ALLOWED_SITES is normalised like an incoming event's site", () => {
    expect(parseConfig({ ALLOWED_SITES: "https://www.Example.com, Blog.Example.com:8080 ,shop.example/path,www.example.com" }).allowedSites).toEqual([
      "example.com",
      "blog.example.com",
      "shop.example",
    ]);
    expect(parseConfig({ ALLOWED_SITES: " , " }).allowedSites).toBeNull();
    expect(() => parseConfig({ ALLOWED_SITES: "example.com,not a host" })).toThrow('ALLOWED_SITES: "not a host" is not a host name');
  });

  test("TRUST_PROXY=true works but warns: the left-most X-Forwarded-For entry is the client's own", () => {
    const warned = parseConfig({ TRUST_PROXY: "true" }).warnings;
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain("TRUST_PROXY=true");
    expect(warned[0]).toContain("number of proxies");
    expect(parseConfig({ TRUST_PROXY: "x-forwarded-for" }).warnings).toHaveLength(1);
    expect(parseConfig({ TRUST_PROXY: "1" }).warnings).toEqual([]);
    expect(parseConfig({ TRUST_PROXY: "cf-connecting-ip" }).warnings).toEqual([]);
    expect(parseConfig({}).warnings).toEqual([]);
  });

  test("env.example documents exactly the variables the code reads", async () => {
    const text = await Bun.file(new URL("../env.example", import.meta.url)).text();
    const documented = [...text.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(EnvSchema.properties).sort());
  });
});
