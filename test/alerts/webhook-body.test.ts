import { describe, expect, test } from "bun:test";
import { alertLinks } from "../../src/alerts/alert-links.ts";
import { checkWebhookInput } from "../../src/alerts/webhooks.ts";
import { defaultFormat, webhookBody, type AlertMessage } from "../../src/alerts/webhook-body.ts";

const alert: AlertMessage = {
  kind: "regression",
  groupId: "g2:" + "a".repeat(64),
  site: "shop.example",
  errorType: "TypeError",
  message: "<script> & @everyone ".padEnd(400, "x"),
  release: "1.2.0",
  occurredAt: new Date("2026-11-22T04:00:00Z"),
  url: "https://analytics.example/sites/shop.example/crashes/g2%3Aaaa",
  apiUrl: "https://analytics.example/api/crash-groups/g2%3Aaaa",
};

describe("webhook bodies", () => {
  test("Slack and Mattermost: { text } with <, > and & escaped, the message capped, a <url|label> link", () => {
    for (const f of ["slack", "mattermost"] as const) {
      const b = webhookBody(f, alert) as { text: string };
      expect(Object.keys(b)).toEqual(["text"]);
      expect(b.text).toStartWith("Regression on shop.example in release 1.2.0: TypeError: &lt;script&gt; &amp; @everyone");
      expect(b.text).not.toContain("<script>");
      expect(b.text).toEndWith(`… <${alert.url}|open group>`);
      expect(b.text.length).toBeLessThan(500);
    }
  });

  test("Discord: { content } that pings nobody, within 2,000 characters", () => {
    const b = webhookBody("discord", { ...alert, message: "@everyone look".repeat(300) }) as { content: string; allowed_mentions: unknown };
    expect(b.allowed_mentions).toEqual({ parse: [] });
    expect(b.content).not.toContain("@everyone");
    expect(b.content.length).toBeLessThanOrEqual(2000);
  });

  test("json: the structured alert", () => {
    expect(webhookBody("json", { ...alert, kind: "new_group" })).toMatchObject({
      event: "crash_group.created",
      group: { id: alert.groupId, site: "shop.example", url: alert.url, apiUrl: alert.apiUrl },
      release: "1.2.0",
      occurredAt: "2026-11-22T04:00:00.000Z",
    });
  });

  test("links: the dashboard's group page for people, the API's JSON as an extra field; none without PUBLIC_URL", () => {
    expect(alertLinks("https://stats.example/base/", "shop.example", "g2:ab/c")).toEqual({
      url: "https://stats.example/base/sites/shop.example/crashes/g2%3Aab%2Fc",
      apiUrl: "https://stats.example/base/api/crash-groups/g2%3Aab%2Fc",
    });
    expect(alertLinks(null, "shop.example", "g")).toBeNull();
    expect((webhookBody("slack", alert) as { text: string }).text).not.toContain("/api/");
    expect((webhookBody("discord", alert) as { content: string }).content).toEndWith("<https://analytics.example/sites/shop.example/crashes/g2%3Aaaa>");
  });

  test("the default format follows the URL; bad input names its field", () => {
    expect(defaultFormat("https://discord.com/api/webhooks/1/x")).toBe("discord");
    expect(defaultFormat("https://hooks.slack.com/services/T/B/x")).toBe("slack");
    expect(defaultFormat("https://chat.example/hooks/abc")).toBe("slack");
    expect(() => checkWebhookInput({ url: "javascript:alert(1)" })).toThrow("url:");
    expect(() => checkWebhookInput({ url: "https://user:pw@chat.example/h" })).toThrow("url:");
    expect(() => checkWebhookInput({ url: "https://chat.example/h", events: [] })).toThrow("events:");
    expect(() => checkWebhookInput({ url: "https://chat.example/h", format: "teams" as never })).toThrow("format:");
    expect(checkWebhookInput({ url: " https://chat.example/h " })).toEqual({
      url: "https://chat.example/h",
      name: "chat.example",
      format: "slack",
      events: ["new_group", "regression"],
    });
  });
});
