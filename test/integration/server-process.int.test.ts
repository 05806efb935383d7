import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { CHROME_UA } from "../support/app.ts";
import { pidAlive, serverSlot, startServerProcess } from "../support/server-process.ts";
import { countRows } from "../support/count-rows.ts";
import { until } from "../support/wait.ts";

test("`bun start` runs the whole pipeline on embedded Postgres, stops cleanly on SIGTERM and reuses its data", async () => {
  const slot = serverSlot();
  const t0 = performance.now();
  const first = await startServerProcess(slot);
  const coldMs = performance.now() - t0;

  const res = await fetch(`${first.url}/api/pageview`, {
    method: "POST",
    headers: { "content-type": "text/plain", "user-agent": CHROME_UA, origin: "https://example.com" },
    body: JSON.stringify({ pathname: "/first" }),
  });
  expect(res.status).toBe(202);
  const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${slot.pgPort}/analytics`, { max: 1, onnotice: () => {} });
  await until(async () => (await countRows(sql, "pageviews")) > 0, "the page view projected", 10_000);
  expect(await countRows(sql, "pageviews")).toBe(1);
  await sql.end();

  // The embedded server listens on 127.0.0.1 only.
  const conf = readFileSync(join(slot.dataDir, "pg", "postmaster.pid"), "utf8").split("\n");
  const pgPid = Number(conf[0]);
  expect(conf.some((l) => l.trim() === "127.0.0.1")).toBe(true);

  first.proc.kill("SIGTERM");
  expect(await first.exited).toBe(0);
  expect(pidAlive(pgPid)).toBe(false);
  expect(first.output()).toContain('"msg":"stopped"');

  const t1 = performance.now();
  const second = await startServerProcess(slot);
  const warmMs = performance.now() - t1;
  const sql2 = postgres(`postgres://postgres:postgres@127.0.0.1:${slot.pgPort}/analytics`, { max: 1, onnotice: () => {} });
  expect((await sql2`select pathname from pageviews`).map((r) => r.pathname)).toEqual(["/first"]);
  await sql2.end();
  second.proc.kill("SIGINT");
  expect(await second.exited).toBe(0);
  console.log(`[measure] start-up until /healthz answers: empty data dir ${coldMs.toFixed(0)} ms, warm ${warmMs.toFixed(0)} ms`);
}, 60_000);

test("a bad configuration stops start-up with a clear message", async () => {
  const proc = Bun.spawn(["bun", "run", "src/index.ts"], { cwd: join(import.meta.dir, "..", ".."), env: { ...process.env, PORT: "not-a-port" }, stdout: "pipe", stderr: "pipe" });
  expect(await proc.exited).toBe(1);
  const err = await new Response(proc.stderr).text();
  expect(err).toContain("PORT: invalid value");
});

test("a taken port stops start-up cleanly: exit 1, and the embedded server it started is stopped", async () => {
  const slot = serverSlot();
  const blocker = Bun.serve({ hostname: "127.0.0.1", port: slot.port, fetch: () => new Response("taken") });
  try {
    const proc = Bun.spawn(["bun", "run", "src/index.ts"], {
      cwd: join(import.meta.dir, "..", ".."),
      env: { ...process.env, DATABASE_URL: "", HOST: "127.0.0.1", PORT: String(slot.port), DATA_DIR: slot.dataDir, EMBEDDED_PG_PORT: String(slot.pgPort) },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await proc.exited).toBe(1);
    expect(await new Response(proc.stderr).text()).toContain(`Cannot listen on 127.0.0.1:${slot.port}`);
    const pidFile = join(slot.dataDir, "pg", "postmaster.pid");
    expect(await Bun.file(pidFile).exists()).toBe(false); // removed by a clean shutdown
  } finally {
    blocker.stop(true);
  }
}, 60_000);
