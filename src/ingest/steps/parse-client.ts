import UAParser from "ua-parser-js";
import { createLru } from "../lru.ts";
import type { Step } from "../context.ts";
import type { ClientInfo } from "../types.ts";
import { deviceFromPlatform } from "./device-from-platform.ts";

// Parsing a user agent costs tens of µs, and a site's traffic comes from a few hundred distinct
// strings (a few thousand on a busy one), so results are kept. The cache lives in this process's memory only (bounded,
// never written anywhere); its values are the derived fields, which are stored anyway.
const cache = createLru<Parsed>(10_000);

interface Parsed {
  client: ClientInfo;
  /** A browser was recognised: its user agent says what the device is. */
  browser: boolean;
}

/**
 * User agent (+ the app's `platform`, when it sent one) → browser, OS and device class. Versions
 * are cut to the major number: enough for compatibility questions, less identifying than a full
 * build string. Without a browser (an app or server SDK), the platform decides the device class:
 * ios/android → mobile, ipados → tablet, windows/macos/linux → desktop, servers → other.
 */
export function parseClient(userAgent: string, platform?: string | null): ClientInfo {
  const parsed = cache.get(userAgent) ?? cache.set(userAgent, Object.freeze(parse(userAgent)));
  if (parsed.browser) return parsed.client;
  const fromPlatform = deviceFromPlatform(platform);
  return fromPlatform && fromPlatform !== parsed.client.deviceType ? { ...parsed.client, deviceType: fromPlatform } : parsed.client;
}

function parse(userAgent: string): Parsed {
  const r = new UAParser(userAgent).getResult();
  const browser = Boolean(r.browser.name);
  const client: ClientInfo = Object.freeze({
    browser: r.browser.name ?? null,
    browserVersion: r.browser.major ?? null,
    os: r.os.name ?? null,
    osVersion: r.os.version?.split(".")[0] ?? null,
    deviceType: browser ? browserDevice(r.device.type) : appDevice(r.device.type, r.os.name),
  });
  return { client, browser };
}

/** A browser without a device token in its user agent is a desktop browser. */
function browserDevice(type: string | undefined): ClientInfo["deviceType"] {
  if (type === "mobile" || type === "tablet") return type;
  if (type === "smarttv" || type === "console" || type === "wearable" || type === "embedded") return "other";
  return "desktop";
}

/**
 * No browser (an SDK, a script, an empty user agent): a device token or a known OS still tells the
 * class ("Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8)"); otherwise nothing does, so "other".
 */
function appDevice(type: string | undefined, os: string | undefined): ClientInfo["deviceType"] {
  if (type) return browserDevice(type);
  return deviceFromPlatform(os) ?? "other";
}

/** Step `parse_client`. A crash's `platform` decides the device class when no browser sent it. */
export const parseClientStep: Step = (ctx) => {
  ctx.client = parseClient(ctx.req.client.userAgent, ctx.req.kind === "crash" ? ctx.req.crash.platform : null);
  return ctx;
};
