/** What an alert says, whatever the chat it goes to. */
export interface AlertMessage {
  kind: "new_group" | "regression";
  groupId: string;
  site: string;
  errorType: string;
  message: string;
  release: string | null;
  occurredAt: Date;
  /** The group's page in the dashboard (PUBLIC_URL set), else null. */
  url: string | null;
  /** The group's JSON in the admin API (PUBLIC_URL set), else null; only the `json` format carries it. */
  apiUrl?: string | null;
}

export const WEBHOOK_FORMATS = ["slack", "mattermost", "discord", "json"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** The format a URL most likely wants when none is given: Discord's own, else Slack's `text`. */
export function defaultFormat(url: string): WebhookFormat {
  const host = URL.canParse(url) ? new URL(url).hostname : "";
  return /(^|\.)discord(app)?\.com$/.test(host) ? "discord" : "slack";
}

const MAX_MESSAGE = 300;

/** One line of plain text: the headline every format carries. */
export function headline(a: AlertMessage): string {
  const what = a.kind === "new_group" ? "New crash" : "Regression";
  const msg = a.message.length > MAX_MESSAGE ? `${a.message.slice(0, MAX_MESSAGE)}…` : a.message;
  const release = a.release ? ` in release ${a.release}` : "";
  return `${what} on ${a.site}${release}: ${a.errorType}: ${msg}`;
}

// Slack and Mattermost read `<…>` as links and mentions, `&` as an entity: escape all three.
const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
// Discord: no @everyone/@here or role pings from a crash message, and no markdown surprises.
const discordEscape = (s: string) => s.replace(/([\\*_~`|>])/g, "\\$1").replace(/@/g, "@\u200b");

/**
 * The JSON body for a webhook. Slack and Mattermost incoming webhooks take `{ text }` (links as
 * `<url|label>`); Discord takes `{ content }` (≤ 2,000 characters) and `allowed_mentions`;
 * `json` is the structured alert for anything else (a script, an incident tool).
 */
export function webhookBody(format: WebhookFormat, a: AlertMessage): Record<string, unknown> {
  switch (format) {
    case "slack":
    case "mattermost": {
      const link = a.url ? ` <${a.url}|${a.kind === "new_group" ? "open" : "open group"}>` : "";
      return { text: `${slackEscape(headline(a))}${link}` };
    }
    case "discord": {
      const text = `${discordEscape(headline(a))}${a.url ? `\n<${a.url}>` : ""}`;
      return { content: text.slice(0, 2000), allowed_mentions: { parse: [] } };
    }
    case "json":
      return {
        event: a.kind === "new_group" ? "crash_group.created" : "crash_group.regressed",
        text: headline(a),
        group: { id: a.groupId, site: a.site, errorType: a.errorType, message: a.message, url: a.url, apiUrl: a.apiUrl ?? null },
        release: a.release,
        occurredAt: a.occurredAt.toISOString(),
      };
  }
}
