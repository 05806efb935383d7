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

  test("env.example documents exactly the variables the code reads", async () => {
    const text = await Bun.file(new URL("../env.example", import.meta.url)).text();
    const documented = [...text.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(EnvSchema.properties).sort());
  });
});
