import { isbot } from "isbot";
import { Drop } from "../types.ts";

/** Page views and custom events from crawlers, scripts and empty user agents are not visits. */
export function dropBot(userAgent: string): Drop | null {
  return userAgent.trim() === "" || isbot(userAgent) ? new Drop("bot") : null;
}
