/** A Sentry-style DSN for this server as the browser reaches it: `<scheme>://<key>@<host>/<project id>`. */
export function dsn(key: string, projectId: number): string {
  return `${location.protocol}//${key}@${location.host}/${projectId}`;
}
