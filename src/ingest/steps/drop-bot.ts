import { isbot } from "isbot";
import { createLru } from "../lru.ts";
import type { Step } from "../context.ts";
import { Drop } from "../types.ts";

// isbot runs one large regular expression; answers are kept per user agent (in memory only,
// bounded: a busy site sees a few thousand distinct strings a day, most of its traffic from a few hundred).
const verdicts = createLru<boolean>(10_000);

/** Page views and custom events from crawlers, scripts and empty user agents are not visits. */
export function dropBot(userAgent: string): Drop | null {
  const bot = verdicts.get(userAgent) ?? verdicts.set(userAgent, userAgent.trim() === "" || isbot(userAgent));
  return bot ? new Drop("bot") : null;
}

/**
 * Step `drop_bot`. Crashes are kept whatever sent them (a crawler hitting a bug is still a bug),
 * and so is anything from an authenticated sender: servers and SDKs have no browser user agent.
 */
export const dropBotStep: Step = (ctx) => {
  if (ctx.req.kind === "crash" || ctx.req.auth) return ctx;
  return dropBot(ctx.req.client.userAgent) ?? ctx;
};
