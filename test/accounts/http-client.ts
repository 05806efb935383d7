import type { App } from "../../src/app.ts";

/** A tiny in-process client for the auth and admin APIs: JSON in, JSON out, a cookie jar. */
export interface Call {
  status: number;
  body: any;
  headers: Headers;
}

export function client(app: App, base = "http://localhost") {
  let cookies: Record<string, string> = {};
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Call> {
    const h: Record<string, string> = { ...headers };
    if (body !== undefined) h["content-type"] = "application/json";
    const jar = Object.entries(cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join("; ");
    if (jar && !("cookie" in h)) h.cookie = jar;
    const res = await app.handle(new Request(base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) }));
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, v] = [pair!.slice(0, pair!.indexOf("=")), pair!.slice(pair!.indexOf("=") + 1)];
      if (v === "" || /max-age=0/i.test(c)) delete cookies[k];
      else cookies[k] = v;
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, body: parsed, headers: res.headers };
  }
  return {
    call,
    get: (path: string, headers?: Record<string, string>) => call("GET", path, undefined, headers),
    post: (path: string, body: unknown = {}, headers?: Record<string, string>) => call("POST", path, body, headers),
    patch: (path: string, body: unknown, headers?: Record<string, string>) => call("PATCH", path, body, headers),
    put: (path: string, headers?: Record<string, string>) => call("PUT", path, undefined, headers),
    del: (path: string, headers?: Record<string, string>) => call("DELETE", path, undefined, headers),
    login: (email: string, password: string, headers?: Record<string, string>) => call("POST", "/api/auth/login", { email, password }, headers),
    get cookies() {
      return cookies;
    },
    set cookies(c: Record<string, string>) {
      cookies = c;
    },
  };
}
