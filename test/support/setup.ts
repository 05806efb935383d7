import { afterAll } from "bun:test";
import { stopTestServer } from "./postgres.ts";

// Preloaded by bunfig.toml: stop the shared embedded PostgreSQL once every test file has run.
afterAll(async () => {
  await stopTestServer();
});
