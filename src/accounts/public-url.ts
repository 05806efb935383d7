import type { Config } from "../config.ts";

/** Where clients reach this server: PUBLIC_URL, else http://HOST:PORT (a wildcard host → loopback). */
export function publicBase(config: Config): URL {
  if (config.publicUrl) return new URL(config.publicUrl);
  const host = config.host === "0.0.0.0" || config.host === "::" || config.host === "" ? "127.0.0.1" : config.host;
  return new URL(`http://${host.includes(":") ? `[${host}]` : host}:${config.port}`);
}

/** A Sentry-style DSN: `<scheme>://<public key>@<host>[:port][/path]/<project id>`. */
export function dsnFor(config: Config, key: string, projectId: number): string {
  const u = publicBase(config);
  const path = u.pathname.replace(/\/+$/, "");
  return `${u.protocol}//${key}@${u.host}${path}/${projectId}`;
}

/** The URL of a share link's dashboard. */
export function shareUrl(config: Config, slug: string): string {
  const u = publicBase(config);
  return `${u.origin}${u.pathname.replace(/\/+$/, "")}/share/${slug}`;
}
