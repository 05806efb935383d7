/**
 * The ceiling for any HTTP ingest on this machine: a bare Bun server that reads a JSON POST body
 * and answers 202. Run as its own process (like the app) so both are measured the same way:
 *
 *   PORT=4100 bun run bench/bare-server.ts
 */
const port = Number(process.env.PORT ?? 0);

const server = Bun.serve({
  hostname: "127.0.0.1",
  port,
  async fetch(req) {
    if (req.method !== "POST") return new Response("ok");
    await req.json();
    return Response.json({ accepted: true, id: "bare" }, { status: 202 });
  },
});

// The parent reads the port from the first line (PORT=0 picks a free one).
console.log(JSON.stringify({ port: server.port }));
process.on("SIGTERM", () => {
  server.stop(true);
  process.exit(0);
});
