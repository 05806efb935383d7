/**
 * The one fetch helper: every call to the server goes through here, so errors, login and share
 * links are handled the same way everywhere. Same origin only (the CSP allows nothing else);
 * the browser adds Origin/Sec-Fetch-Site, which the server's CSRF check reads.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Set when the page is a share link: every request carries `?auth=<slug>`. */
let shareSlug: string | null = null;
export const setShareSlug = (slug: string | null) => {
  shareSlug = slug;
};
export const isShared = () => shareSlug !== null;

/** Called on a 401 of a logged-out reader (not a share link): the app shows the login or set-up screen. */
let onUnauthorized: (code: string) => void = () => {};
export const setUnauthorizedHandler = (f: (code: string) => void) => {
  onUnauthorized = f;
};

export function apiUrl(path: string, params: Record<string, string> = {}): string {
  const u = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  if (shareSlug) u.searchParams.set("auth", shareSlug);
  return u.pathname + u.search;
}

export interface ApiOptions {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  body?: unknown;
  signal?: AbortSignal;
  accept?: string;
}

async function send(path: string, o: ApiOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: o.accept ?? "application/json" };
  if (o.body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(apiUrl(path), {
      method: o.method ?? "GET",
      headers,
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
      signal: o.signal,
      credentials: "same-origin",
    });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiError(0, "network", "the server cannot be reached; check your connection");
  }
  if (!res.ok) {
    const payload = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    const code = payload?.error?.code ?? `http_${res.status}`;
    const message = payload?.error?.message ?? `the server answered ${res.status}`;
    if (res.status === 401 && !shareSlug && !path.startsWith("/api/auth/login")) onUnauthorized(code);
    throw new ApiError(res.status, code, message);
  }
  return res;
}

export async function api<T>(path: string, o: ApiOptions = {}): Promise<T> {
  return (await send(path, o)).json() as Promise<T>;
}

/** The same request, answered as text (CSV exports). */
export async function apiText(path: string, o: ApiOptions = {}): Promise<string> {
  return (await send(path, o)).text();
}
