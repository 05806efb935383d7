import { buildApp } from "./app.ts";
import { ConfigError, parseConfig } from "./config.ts";
import { createLogger } from "./log.ts";
import { startRuntime } from "./runtime.ts";

/** Start-up: config → database → event store → HTTP. Ctrl-C / SIGTERM shut down in order. */
const t0 = performance.now();
let config;
try {
  config = parseConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
const log = createLogger(config.logLevel);
for (const warning of config.warnings) log.warn(warning);
const runtime = await startRuntime(config, { log, deliveryThread: true }).catch((err: Error) => {
  log.error("start-up failed", { error: err });
  console.error(err.message);
  process.exit(1);
});
let app: ReturnType<typeof buildApp>;
try {
  // reusePort off: Elysia turns SO_REUSEPORT on by default, which lets a second server bind the
  // same port and the kernel split requests (and events) between two databases.
  app = buildApp(runtime.deps).listen({ port: config.port, hostname: config.host, reusePort: false });
} catch (err) {
  // E.g. the port is taken: stop the embedded server we started instead of orphaning it.
  log.error("could not listen", { port: config.port, error: err as Error });
  console.error(`Cannot listen on ${config.host}:${config.port}: ${(err as Error).message} (set PORT to a free port)`);
  await runtime.stop();
  process.exit(1);
}
// The app owns the embedded server: if its postmaster dies, restart it (the pool reconnects).
let unsupervise = () => {};
if (runtime.embedded?.owned) {
  const restarts = runtime.deps.metrics.embeddedRestarts;
  unsupervise = runtime.embedded.supervise({ onRestart: () => restarts.inc() });
}
log.info("listening", {
  url: `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${app.server?.port}`,
  mode: runtime.deps.mode,
  database: runtime.embedded ? `embedded (${runtime.embedded.url.replace(/:[^:@/]*@/, ":***@")})` : "external",
  startupMs: Math.round(performance.now() - t0),
});

let shuttingDown = false;
async function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info("shutting down", { signal });
  unsupervise(); // a server that dies from here on stays down
  const deadline = setTimeout(() => {
    log.error("shutdown took longer than 15 s; exiting");
    process.exit(1);
  }, 15_000);
  await app.stop().catch(() => {}); // stop accepting; in-flight requests finish
  await runtime.stop();
  clearTimeout(deadline);
  log.info("stopped");
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
