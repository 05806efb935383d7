/** Sentry payloads shaped as the real SDKs send them (captured from @sentry/node 10.78.0). */
export const PII = {
  email: "dana@example.com",
  ip: "198.51.100.23",
  userId: "user-8842",
  username: "dana_k",
  ua: "Mozilla/5.0 (PII-UA-MARKER)",
  server: "prod-db-host-7",
  cookie: "session=COOKIE-MARKER",
  header: "HEADER-MARKER",
  data: "BODY-MARKER",
  moduleName: "left-pad-MODULE-MARKER",
  context: "SOURCE-LINE-MARKER",
  var: "FRAME-VAR-MARKER",
  did: "DEVICE-ID-MARKER",
  sid: "0f9e8d7c6b5a49382716a5b4c3d2e1f0",
};

/** Every never-stored value of PII, as it would appear in a stored row or payload. */
export const NEVER_STORED = [
  PII.email,
  PII.ip,
  PII.userId,
  PII.username,
  "PII-UA-MARKER",
  PII.server,
  "COOKIE-MARKER",
  PII.header,
  PII.data,
  PII.moduleName,
  PII.context,
  PII.var,
  PII.did,
  PII.sid,
];

export function fullEvent(overrides: Record<string, unknown> = {}) {
  return {
    event_id: "245a13d5c9904d60b3737d0a9f75bb90",
    level: "error",
    platform: "javascript",
    release: "shop@2.4.0",
    environment: "production",
    server_name: PII.server,
    timestamp: 1795317223.827,
    user: { id: PII.userId, email: PII.email, username: PII.username, ip_address: PII.ip },
    request: {
      url: "https://shop.example.com/cart/checkout?token=SECRET123",
      method: "POST",
      headers: { "User-Agent": PII.ua, "X-Custom": PII.header, Cookie: PII.cookie },
      cookies: { session: PII.cookie },
      data: { card: PII.data },
      query_string: "token=SECRET123",
    },
    modules: { [PII.moduleName]: "1.0.0" },
    contexts: {
      os: { name: "Android", version: "14", kernel_version: "6.1" },
      device: { name: "Dana's phone", model: "Pixel 8", family: "Pixel", id: PII.did },
      app: { app_name: "Shop", app_version: "2.4.0", app_build: "240", device_app_hash: PII.did },
      browser: { name: "Chrome", version: "131.0" },
      culture: { locale: "da-DK", timezone: "Europe/Copenhagen" },
    },
    tags: { user_email: PII.email },
    extra: { note: PII.email },
    breadcrumbs: {
      values: [
        { timestamp: 1795317223.82, category: "auth", message: `login ${PII.email}`, level: "info" },
        { timestamp: 1795317223.83, type: "http", category: "fetch", data: { method: "GET", url: "https://api.example.com/x?key=SECRET123", status_code: 500, nested: { a: 1 } } },
      ],
    },
    exception: {
      values: [
        { type: "NetworkError", value: "request failed", stacktrace: { frames: [{ filename: "https://shop.example.com/assets/net.js", function: "send", lineno: 1, colno: 1 }] } },
        {
          type: "TypeError",
          value: `Cannot read properties of undefined (reading 'id') for ${PII.email}`,
          mechanism: { type: "onerror", handled: false },
          stacktrace: {
            frames: [
              { filename: "https://shop.example.com/node_modules/react-dom.js", function: "callCallback", lineno: 10, colno: 3, in_app: false },
              {
                filename: "https://shop.example.com/assets/main.3f9a2c1b.js",
                function: "checkout",
                lineno: 120,
                colno: 17,
                in_app: true,
                pre_context: [PII.context],
                context_line: PII.context,
                post_context: [PII.context],
                vars: { secret: PII.var },
              },
              { filename: "https://shop.example.com/assets/main.3f9a2c1b.js", function: "renderTotal", lineno: 88, colno: 5, vars: { v: PII.var } },
            ],
          },
        },
      ],
    },
    ...overrides,
  };
}

/** A newline-delimited envelope: header, then (item header, payload) pairs. */
export function envelope(header: Record<string, unknown>, items: { header: Record<string, unknown>; payload: unknown; withLength?: boolean }[]): string {
  const lines = [JSON.stringify(header)];
  for (const it of items) {
    const payload = typeof it.payload === "string" ? it.payload : JSON.stringify(it.payload);
    const h = it.withLength ? { ...it.header, length: Buffer.byteLength(payload) } : it.header;
    lines.push(JSON.stringify(h), payload);
  }
  return lines.join("\n") + "\n";
}
