// A real @sentry/node app, run as its own process by sentry-node-sdk.int.test.ts:
//   node node-client.mjs <dsn> <scenario> <status file>
// The SDK's own transport is used; a thin wrapper only writes each response status to a file so
// the test can prove that every request the SDK made was answered with a 2xx.
import { appendFileSync } from "node:fs";
import * as Sentry from "@sentry/node";

const [dsn, scenario, statusFile] = process.argv.slice(2);
const PII = { id: "user-8842", email: "dana@example.com", username: "dana_k", ip_address: "198.51.100.23" };

Sentry.init({
  dsn,
  release: "node-app@1.0.0",
  environment: "proof",
  serverName: "prod-db-host-7",
  sendDefaultPii: true,
  tracesSampleRate: 0,
  transport: (options) => {
    const inner = Sentry.makeNodeTransport(options);
    return {
      ...inner,
      send: async (envelope) => {
        const types = envelope[1].map((item) => item[0].type).join(",");
        try {
          const res = await inner.send(envelope);
          appendFileSync(statusFile, JSON.stringify({ types, status: res.statusCode ?? 0 }) + "\n");
          return res;
        } catch (err) {
          appendFileSync(statusFile, JSON.stringify({ types, status: -1, error: String(err) }) + "\n");
          throw err;
        }
      },
    };
  },
  beforeSend(event) {
    return event.message === "drop me in beforeSend" ? null : event;
  },
});
Sentry.setUser(PII);
Sentry.setTag("user_email", PII.email);
Sentry.setContext("secrets", { token: "FRAME-VAR-MARKER" });

function parseOrder(order) {
  return order.items.map((item) => item.price);
}
function checkout(order) {
  return parseOrder(order);
}

if (scenario === "handled") {
  Sentry.addBreadcrumb({ category: "auth", message: `login ${PII.email}`, level: "info" });
  try {
    checkout({});
  } catch (err) {
    Sentry.captureException(err);
  }
  Sentry.captureMessage("node message from proof", "info");
  Sentry.captureMessage("drop me in beforeSend", "error");
  await Sentry.flush(5000);
  await Sentry.close(5000);
} else if (scenario === "uncaught") {
  setTimeout(function onTimer() {
    checkout({ items: null });
  }, 10);
} else if (scenario === "rejection") {
  Promise.reject(new RangeError("rejected promise from proof"));
  setTimeout(async () => {
    await Sentry.flush(5000);
    await Sentry.close(5000);
  }, 200);
}
