import { describe, expect, test } from "bun:test";
import { fingerprintCrash, stableFileName } from "../../src/crash/fingerprint.ts";
import { parseStack } from "../../src/crash/stack-parse.ts";

/** The same bug as shipped in two deploys: new bundle hashes, shifted lines, another user. */
const DEPLOY_1 = {
  errorType: "TypeError",
  message: "Cannot read properties of undefined (reading 'email') for user 8812 (ann@example.com)",
  stack: [
    "TypeError: Cannot read properties of undefined (reading 'email')",
    "    at renderProfile (https://app.example.com/assets/index-BvK3x9Qa.js:42:18)",
    "    at Array.map (<anonymous>)",
    "    at renderList (https://app.example.com/assets/index-BvK3x9Qa.js:57:9)",
    "    at render (https://app.example.com/assets/index-BvK3x9Qa.js:57:9)",
    "    at render (https://app.example.com/assets/index-BvK3x9Qa.js:57:9)",
    "    at commit (https://app.example.com/assets/vendor.3f9a2c1b.js:1:5001)",
  ].join("\n"),
};
const DEPLOY_2 = {
  errorType: "TypeError",
  message: "Cannot read properties of undefined (reading 'email') for user 90210 (bo@example.org)",
  stack: [
    "TypeError: Cannot read properties of undefined (reading 'email')",
    "    at renderProfile (https://app.example.com/assets/index-Qz81mWkP.js:44:7)",
    "    at Array.map (<anonymous>)",
    "    at renderList (https://app.example.com/assets/index-Qz81mWkP.js:61:13)",
    "    at render (https://app.example.com/assets/index-Qz81mWkP.js:61:40)",
    "    at commit (https://app.example.com/assets/vendor.77aa01fe.js:1:5120)",
  ].join("\n"),
};

function fingerprintOf(report: { errorType: string; message: string; stack: string }) {
  return fingerprintCrash({ errorType: report.errorType, message: report.message, frames: parseStack(report.stack) });
}

describe("fingerprintCrash", () => {
  test("the same bug across two deploys gets the same hash", () => {
    const first = fingerprintOf(DEPLOY_1);
    expect(first.version).toBe("g1");
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(first.basis).toEqual(["stack", "TypeError", "index.js:renderProfile", "index.js:renderList", "index.js:render", "vendor.js:commit"]);
    expect(fingerprintOf(DEPLOY_2).hash).toBe(first.hash);
  });

  test("different bugs get different hashes", () => {
    const other = { ...DEPLOY_1, stack: DEPLOY_1.stack.replace("renderProfile", "renderAvatar") };
    expect(fingerprintOf(other).hash).not.toBe(fingerprintOf(DEPLOY_1).hash);
    const otherType = { ...DEPLOY_1, errorType: "RangeError" };
    expect(fingerprintOf(otherType).hash).not.toBe(fingerprintOf(DEPLOY_1).hash);
  });

  test("message-only fallback groups instance-specific messages", () => {
    const a = fingerprintCrash({ errorType: "NotFoundError", message: "User 123 not found", frames: [] });
    const b = fingerprintCrash({ errorType: "NotFoundError", message: "User 456 not found", frames: [] });
    const c = fingerprintCrash({ errorType: "NotFoundError", message: "Order 123 not found", frames: [] });
    expect(a.basis).toEqual(["message", "NotFoundError", "User <n> not found"]);
    expect(b.hash).toBe(a.hash);
    expect(c.hash).not.toBe(a.hash);
  });

  test("fallback also masks UUIDs, hex, URLs, IPs and emails, and uses the first line only", () => {
    const message =
      "Sync 550e8400-e29b-41d4-a716-446655440000 failed at 0x7ffe12 (deadbeef42) via https://api.test/v1/x?id=9 " + "from 10.1.2.3 for eve@example.com\nsecond line with details";
    expect(fingerprintCrash({ errorType: "Error", message, frames: [] }).basis[2]).toBe("Sync <uuid> failed at <hex> (<hex>) via <url> from <ip> for <email>");
  });

  test("frames that are not in-app fall back to the message", () => {
    const frames = parseStack("Error: x\n    at Array.map (<anonymous>)\n    at f (/srv/node_modules/lib/a.js:1:1)");
    expect(fingerprintCrash({ errorType: "Error", message: "Boom 42", frames }).basis[0]).toBe("message");
  });

  test("a client fingerprint wins", () => {
    const withClient = fingerprintCrash({ ...DEPLOY_1, frames: parseStack(DEPLOY_1.stack), clientFingerprint: ["checkout", "stripe-timeout"] });
    expect(withClient.basis).toEqual(["client", "checkout", "stripe-timeout"]);
    const sameClient = fingerprintCrash({ ...DEPLOY_2, frames: [], clientFingerprint: ["checkout", "stripe-timeout"] });
    expect(sameClient.hash).toBe(withClient.hash);
    const empty = fingerprintCrash({ ...DEPLOY_1, frames: parseStack(DEPLOY_1.stack), clientFingerprint: [] });
    expect(empty.basis[0]).toBe("stack");
  });

  test("keeps the innermost 8 in-app frames", () => {
    const lines = Array.from({ length: 20 }, (_, i) => `    at f${i} (https://x.test/app.js:${i}:1)`);
    const { basis } = fingerprintCrash({ errorType: "Error", message: "", frames: parseStack(`Error\n${lines.join("\n")}`) });
    expect(basis.slice(2)).toEqual(["app.js:f0", "app.js:f1", "app.js:f2", "app.js:f3", "app.js:f4", "app.js:f5", "app.js:f6", "app.js:f7"]);
  });
});

describe("stableFileName", () => {
  test("removes build hashes and query strings", () => {
    expect(stableFileName("https://x.test/static/js/main.3f9a2c1b.js")).toBe("main.js");
    expect(stableFileName("https://x.test/app-8d7f6e5a.js?v=2#l")).toBe("app.js");
    expect(stableFileName("https://x.test/chunk.abc123def.min.js")).toBe("chunk.min.js");
    expect(stableFileName("https://x.test/assets/index-BvK3x9Qa.js")).toBe("index.js");
    expect(stableFileName("https://x.test/assets/index-Bv_3-x9Q.js")).toBe("index.js");
    expect(stableFileName("C:\\app\\dist\\server.js")).toBe("server.js");
  });

  test("keeps ordinary names", () => {
    expect(stableFileName("/srv/app/react-dom.production.min.js")).toBe("react-dom.production.min.js");
    expect(stableFileName("/srv/app/polyfills-es2015.js")).toBe("polyfills-es2015.js");
    expect(stableFileName("/srv/app/chunk-vendors.js")).toBe("chunk-vendors.js");
  });
});
