import { AppError } from "../errors.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site request forgery check for state-changing requests (the SameSite=Lax cookie is the
 * second layer). A browser says where a request comes from: `Sec-Fetch-Site`, and `Origin` on
 * every POST/PUT/PATCH/DELETE. A request from another origin is refused. A request with neither
 * header is not from a browser (curl, a script with a token): it carries no ambient cookie
 * risk and passes.
 */
export function checkCsrf(request: Request, publicUrl: string | null): void {
  if (SAFE.has(request.method)) return;
  // A bearer token is not sent by the browser on its own, so it cannot be forged cross-site.
  if (request.headers.get("authorization")) return;
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite === "same-origin" || fetchSite === "none") return;
  const origin = request.headers.get("origin");
  if (origin === null) {
    if (fetchSite === null) return;
    throw forbidden(`Sec-Fetch-Site: ${fetchSite.slice(0, 20)}`);
  }
  const own = new Set<string>([new URL(request.url).origin]);
  const host = request.headers.get("host");
  if (host) {
    own.add(`http://${host}`);
    own.add(`https://${host}`);
  }
  if (publicUrl) own.add(new URL(publicUrl).origin);
  if (!own.has(origin.toLowerCase())) throw forbidden(`Origin ${origin.slice(0, 100)}`);
}

const forbidden = (what: string) =>
  new AppError(403, "csrf_rejected", `cross-site request refused (${what}); send it from this server's own pages, or with an API token and no Origin`);
