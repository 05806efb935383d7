import UAParser from "ua-parser-js";
import type { ClientInfo } from "../types.ts";

/**
 * User agent → browser, OS and device class. Versions are cut to the major number: enough for
 * compatibility questions, less identifying than a full build string.
 */
export function parseClient(userAgent: string): ClientInfo {
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
