import type { ClientInfo } from "../types.ts";

type DeviceType = ClientInfo["deviceType"];

/**
 * The device class an app's `platform` (or an OS name) implies. Used only when no browser sent the
 * event: a crash from an iOS app has no browser user agent, and calling it "desktop" (what a user
 * agent without a device token means for a browser) would be wrong. Names are compared lower-case
 * with everything but letters removed, so "iOS 17", "macOS" and "Mac OS X" all match. Unknown
 * names (`web`, `flutter`, `cocoa`, `dotnet`, `unity`: they run on several kinds of device) give null.
 */
const PLATFORMS: [DeviceType, string[]][] = [
  ["mobile", ["ios", "iphoneos", "iphone", "android", "reactnative"]],
  ["tablet", ["ipados", "ipad"]],
  ["desktop", ["windows", "win", "macos", "macosx", "osx", "mac", "linux", "ubuntu", "debian", "fedora", "chromeos", "chromiumos", "freebsd", "electron"]],
  [
    "other",
    [
      // TVs, watches and consoles
      ...["tvos", "watchos", "visionos", "wearos", "androidtv", "tizen", "webos", "playstation", "xbox", "nintendo"],
      // servers and runtimes: no device at all
      ...["python", "node", "nodejs", "deno", "bun", "java", "jvm", "go", "golang", "ruby", "php", "elixir", "erlang", "rust", "perl", "server"],
    ],
  ],
];

const BY_NAME = new Map<string, DeviceType>(PLATFORMS.flatMap(([type, names]) => names.map((n) => [n, type] as [string, DeviceType])));

export function deviceFromPlatform(platform: string | null | undefined): DeviceType | null {
  if (!platform) return null;
  const key = platform.toLowerCase().replace(/[^a-z]/g, "");
  return BY_NAME.get(key) ?? null;
}
