import { describe, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { validationMessage } from "../../src/http/validation-message.ts";
import { CrashBody, EventBody, PageviewBody } from "../../src/http/schemas.ts";

// The real schemas behind Elysia's validator, and the one mapping the error handler uses.
const app = new Elysia()
  .onError(({ code, error }) =>
    code === "VALIDATION" ? new Response(validationMessage((error as unknown as { all?: [] }).all), { status: 422 }) : new Response(String(code), { status: 500 }),
  )
  .post("/api/pageview", () => "ok", { body: PageviewBody })
  .post("/api/event", () => "ok", { body: EventBody })
  .post("/api/crash", () => "ok", { body: CrashBody });

async function messageFor(path: string, body: unknown): Promise<string> {
  const res = await app.handle(new Request(`http://localhost${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
  expect(res.status).toBe(422);
  return res.text();
}

describe("validation messages name the field and what it accepts", () => {
  test("an enum lists its values and what was sent", async () => {
    expect(await messageFor("/api/crash", { errorType: "E", severity: "critical" })).toBe('severity: must be one of "warning", "error", "fatal" (got "critical")');
  });

  test("a missing field says it is required and what to send", async () => {
    expect(await messageFor("/api/crash", { message: "boom" })).toBe("errorType: is required; send a string of 1–200 characters");
    expect(await messageFor("/api/pageview", { site: "example.com" })).toBe("pathname: is required; send a string of at most 2048 characters");
  });

  test("types and length limits", async () => {
    expect(await messageFor("/api/pageview", { pathname: 42 })).toBe("pathname: must be a string of at most 2048 characters (got 42)");
    expect(await messageFor("/api/pageview", { pathname: "/" + "a".repeat(3000) })).toBe("pathname: must be a string of at most 2048 characters (got a string of 3001 characters)");
    expect(await messageFor("/api/pageview", { pathname: "/", referrer: 7 })).toBe("referrer: must be a string of at most 2048 characters or null (got 7)");
    expect(await messageFor("/api/event", { eventName: "" })).toBe("eventName: must be a string of 1–120 characters (got an empty string)");
  });

  test("nested fields, lists and records", async () => {
    expect(await messageFor("/api/event", { eventName: "x", customProperties: { plan: { tier: 1 } } })).toBe(
      "customProperties.plan: must be a string of at most 512 characters, a number or a boolean (got an object of 1 key)",
    );
    const tooMany = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i]));
    expect(await messageFor("/api/event", { eventName: "x", customProperties: tooMany })).toBe("customProperties: must be an object of at most 30 keys (got an object of 31 keys)");
    expect(await messageFor("/api/crash", { errorType: "E", stackTrace: [{ line: "ten" }] })).toBe('stackTrace[0].line: must be a whole number or null (got "ten")');
    expect(await messageFor("/api/crash", { errorType: "E", fingerprint: [] })).toBe(
      "fingerprint: must be a list of strings of at most 200 characters (1–10 items) (got a list of 0 items)",
    );
  });

  test("several bad fields are all named (up to three)", async () => {
    const msg = await messageFor("/api/pageview", { pathname: "/", site: 3, title: null });
    expect(msg).toContain("site: must be a string of at most 253 characters (got 3)");
    expect(msg).toContain("title: must be a string of at most 512 characters (got null)");
  });

  test("no message falls back to TypeBox's type list", async () => {
    for (const [path, body] of [
      ["/api/crash", { errorType: "E", severity: 1 }],
      ["/api/pageview", { pathname: "/", referrer: [] }],
      ["/api/event", { eventName: "x", customProperties: { a: null } }],
    ] as const) {
      const msg = await messageFor(path, body);
      expect(msg).not.toContain("'string'");
      expect(msg).toMatch(/^[A-Za-z.[\]0-9]+: /);
    }
  });

  test("the root is named after what was validated", () => {
    expect(validationMessage([{ path: "", schema: { type: "object" }, value: null }])).toBe("body: must be an object (got null)");
    expect(validationMessage([{ path: "/from", schema: { type: "string", format: "date" }, value: "soon" }], "query")).toBe('from: must be a string in date format (got "soon")');
    expect(validationMessage([], "query")).toBe("query: does not match the expected shape");
  });
});
