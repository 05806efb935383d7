/**
 * true when a request comes straight from this machine: a loopback socket address and no
 * forwarding header. A reverse proxy on the same host connects from loopback too, but it adds
 * X-Forwarded-For / Forwarded / X-Real-IP, so what it relays does not count as local.
 * `address` is null for in-process requests (`app.handle`), which are local by definition.
 */
export function isLocalClient(address: string | null, headers: Headers): boolean {
  if (headers.has("x-forwarded-for") || headers.has("forwarded") || headers.has("x-real-ip")) return false;
  if (address === null) return true;
  const a = address.toLowerCase().replace(/^::ffff:/, "");
  return a === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}
