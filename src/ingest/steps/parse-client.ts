import UAParser from "ua-parser-js";
import { createLru } from "../lru.ts";
import type { Step } from "../context.ts";
import type { ClientInfo } from "../types.ts";

// Parsing a user agent costs tens of µs, and a site's traffic comes from a few hundred distinct
// strings, so recent results are kept. The cache lives in this process's memory only (bounded,
// never written anywhere); its values are the derived fields, which are stored anyway.
const cache = createLru<ClientInfo>(2048);

/**
 * User agent → browser, OS and device class. Versions are cut to the major number: enough for
 * compatibility questions, less identifying than a full build string.
 */
export function parseClient(userAgent: string): ClientInfo {
  return cache.get(userAgent) ?? cache.set(userAgent, Object.freeze(parse(userAgent)));
}

function parse(userAgent: string): ClientInfo {
  const r = new UAParser(userAgent).getResult();
  const type = r.device.type;
  const deviceType = type === "mobile" || type === "tablet" ? type : !type ? "desktop" : type === "smarttv" || type === "console" || type === "wearable" || type === "embedded" ? "other" : "desktop";
  return {
    browser: r.browser.name ?? null,
    browserVersion: r.browser.major ?? null,
    os: r.os.name ?? null,
    osVersion: r.os.version?.split(".")[0] ?? null,
    deviceType: userAgent ? deviceType : "other",
  };
}

/** Step `parse_client`. */
export const parseClientStep: Step = (ctx) => {
  ctx.client = parseClient(ctx.req.client.userAgent);
  return ctx;
};
