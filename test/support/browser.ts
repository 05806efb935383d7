/**
 * Launches the system (Debian) Chromium through playwright-core for browser tests.
 *
 * - CHROMIUM_PATH overrides the executable (default /usr/bin/chromium).
 * - Missing Chromium: tests are skipped with a visible notice, unless
 *   REQUIRE_CHROMIUM=1 (set in CI), in which case launching throws.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * A normal desktop Chrome user agent. Headless Chromium's default UA contains
 * "HeadlessChrome", which bot filters drop — create contexts with this UA.
 */
export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Safari/537.36";

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

let noticed = false;

export async function launchChromium(): Promise<Browser | null> {
  if (!chromiumAvailable()) {
    if (process.env.REQUIRE_CHROMIUM === "1") {
      throw new Error(`Chromium not found at ${CHROMIUM_PATH} and REQUIRE_CHROMIUM=1 — install it with: apt-get install -y chromium`);
    }
    if (!noticed) {
      noticed = true;
      console.warn(`[skip] Chromium not found at ${CHROMIUM_PATH} — install it with: apt-get install -y chromium (browser tests skipped)`);
    }
    return null;
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
  });
}
