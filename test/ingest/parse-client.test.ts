import { describe, expect, test } from "bun:test";
import { parseClient } from "../../src/ingest/steps/parse-client.ts";

const IPHONE_SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1";
const IPAD_SAFARI = "Mozilla/5.0 (iPad; CPU OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1";
const DESKTOP_CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

describe("device class", () => {
  test("a browser's user agent decides, whatever platform the body names", () => {
    expect(parseClient(IPHONE_SAFARI).deviceType).toBe("mobile");
    expect(parseClient(IPAD_SAFARI).deviceType).toBe("tablet");
    expect(parseClient(DESKTOP_CHROME).deviceType).toBe("desktop");
    expect(parseClient(DESKTOP_CHROME, "ios")).toMatchObject({ browser: "Chrome", deviceType: "desktop" });
  });

  test("without a browser, the app's platform decides", () => {
    const cases: [string, string, ReturnType<typeof parseClient>["deviceType"]][] = [
      ["", "ios", "mobile"],
      ["", "iOS 17.2", "mobile"],
      ["okhttp/4.12.0", "android", "mobile"],
      ["", "Android", "mobile"],
      ["", "iPadOS", "tablet"],
      ["", "windows", "desktop"],
      ["", "macOS", "desktop"],
      ["", "linux", "desktop"],
      ["python-requests/2.31.0", "python", "other"],
      ["node", "node", "other"],
      ["", "java", "other"],
      ["", "tvOS", "other"],
    ];
    for (const [ua, platform, want] of cases) expect({ ua, platform, device: parseClient(ua, platform).deviceType }).toEqual({ ua, platform, device: want });
  });

  test("without a browser or a known platform: the user agent's device or OS, else other (never a guessed desktop)", () => {
    expect(parseClient("Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/UQ1A.240205.004)").deviceType).toBe("mobile");
    expect(parseClient("MyApp/2.4.0 CFNetwork/1410.0.3 Darwin/22.6.0", "cocoa").deviceType).toBe("mobile");
    expect(parseClient("okhttp/4.12.0").deviceType).toBe("other");
    expect(parseClient("", "web").deviceType).toBe("other");
    expect(parseClient("").deviceType).toBe("other");
  });

  test("the cached parse is not changed by a platform override", () => {
    expect(parseClient("sentry.cocoa/8.20.0", "ios").deviceType).toBe("mobile");
    expect(parseClient("sentry.cocoa/8.20.0", "macos").deviceType).toBe("desktop");
    expect(parseClient("sentry.cocoa/8.20.0").deviceType).toBe("other");
  });
});
