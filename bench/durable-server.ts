/**
 * The physical limit of our promise on this machine: the least a server can do and still answer
 * 202 only once an event is durable. Bun parses the JSON body (a malformed one gets 400), the raw
 * bodies are group-committed into PostgreSQL (one statement per batch, many requests per batch,
 * as the event log does), and each request is answered after its batch's commit. No validation,
 * enrichment, hashing, metrics or projection. Run as its own process, like the app:
 *
 *   PORT=4100 DATABASE_URL=postgres://…/postgres bun run bench/durable-server.ts
 *
 * It writes to a database of its own (`bench_durable`) on that server.
 */
import postgres from "postgres";

const port = Number(process.env.PORT ?? 0);
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl) throw new Error("DATABASE_URL: the PostgreSQL server to commit to");

const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
const [exists] = await admin`select 1 from pg_database where datname = 'bench_durable'`;
if (!exists) await admin.unsafe(`create database bench_durable`);
await admin.end();
const sql = postgres(Object.assign(new URL(adminUrl), { pathname: "/bench_durable" }).toString(), { max: 4, onnotice: () => {} });
await sql`create table if not exists durable_log (seq bigserial primary key, body jsonb not null, created_at timestamptz not null default now())`;

interface Waiter {
  body: string;
  done: (ok: boolean) => void;
}
let queue: Waiter[] = [];
let flushing = false;

/** While one commit is in flight, new bodies queue up and go together in the next. */
async function flush() {
  flushing = true;
  while (queue.length) {
    const batch = queue.length <= 1000 ? queue : queue.slice(0, 1000);
    queue = queue.length <= 1000 ? [] : queue.slice(1000);
    // The raw bodies as one JSON array parameter: the statement is the same for any batch size.
    const array = `[${batch.map((w) => w.body).join(",")}]`;
    const ok = await sql`insert into durable_log (body) select e from jsonb_array_elements(${array}::text::jsonb) e`.then(
      () => true,
      (err) => (console.error(String(err)), false),
    );
    for (const w of batch) w.done(ok);
  }
  flushing = false;
}

const server = Bun.serve({
  hostname: "127.0.0.1",
  port,
  async fetch(req) {
    if (req.method !== "POST") return new Response("ok");
    const body = await req.text();
    try {
      JSON.parse(body);
    } catch {
      return Response.json({ error: { code: "invalid_json", message: "not JSON" } }, { status: 400 });
    }
    const ok = await new Promise<boolean>((done) => {
      queue.push({ body, done });
      if (!flushing) void flush();
    });
    return ok ? Response.json({ accepted: true, id: "durable" }, { status: 202 }) : Response.json({ error: { code: "unavailable", message: "commit failed" } }, { status: 503 });
  },
});

// The parent reads the port from the first line (PORT=0 picks a free one).
console.log(JSON.stringify({ port: server.port }));
process.on("SIGTERM", async () => {
  server.stop(true);
  await sql.end({ timeout: 2 });
  process.exit(0);
});
