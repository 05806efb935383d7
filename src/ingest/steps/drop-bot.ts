import { isbot } from "isbot";
import { createLru } from "../lru.ts";
import { Drop } from "../types.ts";

// isbot runs one large regular expression; recent answers are kept (in memory only, bounded).
const verdicts = createLru<boolean>(2048);

/** Page views and custom events from crawlers, scripts and empty user agents are not visits. */
export function dropBot(userAgent: string): Drop | null {
  const bot = verdicts.get(userAgent) ?? verdicts.set(userAgent, userAgent.trim() === "" || isbot(userAgent));
  return bot ? new Drop("bot") : null;
}
