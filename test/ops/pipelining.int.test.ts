import { afterAll, beforeAll, expect, test } from "bun:test";
import { connect } from "node:net";
import postgres from "postgres";
import { CHROME_UA } from "../support/app.ts";
import { serverSlot, startServerProcess, type ServerProcess } from "../support/server-process.ts";

/**
 * HTTP/1.1 pipelining: Bun.serve closes a connection when a second request arrives while the
 * response to the first is still pending (its handler is async), and answers neither. These tests
 * record that behaviour and our mitigation: the first request's event is not stored either, so
 * "no answer" means "not stored" and the client's retry leaves no duplicate.
 */
const slot = serverSlot();
let server: ServerProcess;
let sql: postgres.Sql;
beforeAll(async () => {
  server = await startServerProcess(slot, { RATE_LIMIT_RPS: "0" });
  sql = postgres(`postgres://postgres:postgres@127.0.0.1:${slot.pgPort}/analytics`, { max: 1, onnotice: () => {} });
}, 60_000);
afterAll(async () => {
  await sql?.end();
  server?.proc.kill("SIGTERM");
  await server?.exited;
}, 30_000);

function pageviewRequest(pathname: string): string {
  const body = JSON.stringify({ pathname });
  return [
    "POST /api/pageview HTTP/1.1",
    "Host: 127.0.0.1",
    "Content-Type: text/plain",
    "Origin: https://example.com",
    `User-Agent: ${CHROME_UA}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    "",
    body,
  ].join("\r\n");
}

/** Opens a loopback socket, writes each chunk in one write (waiting for `answers` HTTP status lines between chunks), returns what came back. */
function exchange(chunks: string[], answersBetween = 1, limitMs = 10_000): Promise<{ text: string; closed: boolean }> {
  return new Promise((done, fail) => {
    const socket = connect({ host: "127.0.0.1", port: slot.port });
    let text = "";
    let next = 0;
    const statusLines = () => (text.match(/HTTP\/1\.1 \d{3} /g) ?? []).length;
    const timer = setTimeout(() => (socket.destroy(), done({ text, closed: false })), limitMs);
    const writeNext = () => socket.write(chunks[next++]!);
    socket.on("connect", writeNext);
    socket.on("data", (d) => {
      text += d.toString();
      if (next < chunks.length && statusLines() >= next * answersBetween) writeNext();
      else if (next === chunks.length && statusLines() >= chunks.length * answersBetween) clearTimeout(timer), socket.destroy(), done({ text, closed: false });
    });
    socket.on("close", () => (clearTimeout(timer), done({ text, closed: true })));
    socket.on("error", fail);
  });
}

const stored = async (prefix: string) => (await sql`select count(*)::int as n from event_log where payload->>'pathname' like ${prefix + "%"}`)[0]!.n as number;

test("two page views pipelined in one write: the connection is closed unanswered, and neither event is stored", async () => {
  const { text, closed } = await exchange([pageviewRequest("/pipelined/1") + pageviewRequest("/pipelined/2")]);
  expect(closed).toBe(true);
  expect(text).toBe("");
  // A later request shows the server is fine and has had time to commit anything it would have.
  const later = await exchange([pageviewRequest("/pipelined/after")]);
  expect(later.text).toStartWith("HTTP/1.1 202");
  expect(await stored("/pipelined/after")).toBe(1);
  expect(await stored("/pipelined/1")).toBe(0);
  expect(await stored("/pipelined/2")).toBe(0);
}, 30_000);

test("requests sent one after another on one keep-alive connection are all answered and stored", async () => {
  const { text } = await exchange([pageviewRequest("/keepalive/1"), pageviewRequest("/keepalive/2"), pageviewRequest("/keepalive/3")]);
  expect(text.match(/HTTP\/1\.1 202 /g)?.length).toBe(3);
  expect(await stored("/keepalive/")).toBe(3);
}, 30_000);
