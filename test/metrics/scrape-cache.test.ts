import { expect, test } from "bun:test";
import { isLocalClient } from "../../src/http/local-client.ts";
import { createMetrics } from "../../src/metrics/registry.ts";
import { createScrapeCache } from "../../src/metrics/scrape-cache.ts";

function counting(fail = false) {
  let renders = 0;
  return {
    render: async () => {
      renders++;
      if (fail) throw new Error("render failed");
      return `render ${renders}`;
    },
    get renders() {
      return renders;
    },
  };
}

test("two scrapes within the window render once; the next window renders again", async () => {
  let now = 0;
  const r = counting();
  const cache = createScrapeCache(r.render, { ttlMs: 1000, now: () => now });
  expect(await cache.text()).toBe("render 1");
  now = 999;
  expect(await cache.text()).toBe("render 1");
  expect(r.renders).toBe(1);
  now = 1000;
  expect(await cache.text()).toBe("render 2");
  expect(r.renders).toBe(2);
});

test("concurrent scrapes share the render in progress", async () => {
  const r = counting();
  const cache = createScrapeCache(r.render, { now: () => 0 });
  const texts = await Promise.all(Array.from({ length: 50 }, () => cache.text()));
  expect(new Set(texts)).toEqual(new Set(["render 1"]));
  expect(r.renders).toBe(1);
});

test("a failed render is not cached", async () => {
  let fail = true;
  let renders = 0;
  const cache = createScrapeCache(
    async () => {
      renders++;
      if (fail) throw new Error("render failed");
      return "ok";
    },
    { now: () => 0 },
  );
  await expect(cache.text()).rejects.toThrow("render failed");
  fail = false;
  expect(await cache.text()).toBe("ok");
  expect(renders).toBe(2);
});

test("the costly V8 heap-space metrics are not collected; the heap totals are", async () => {
  const text = await createMetrics().registry.metrics();
  expect(text).not.toContain("analytics_nodejs_heap_space_size");
  expect(text).toContain("analytics_nodejs_heap_size_used_bytes");
  expect(text).toContain("analytics_process_resident_memory_bytes");
});

test("a local client: loopback socket, no forwarding header", () => {
  const none = new Headers();
  for (const a of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", null]) expect(isLocalClient(a, none)).toBe(true);
  for (const a of ["192.0.2.2", "10.0.0.1", "::ffff:192.0.2.2", "fd00::2", "128.0.0.1"]) expect(isLocalClient(a, none)).toBe(false);
  // A reverse proxy on the same host connects from loopback but says whom it relays.
  for (const h of ["x-forwarded-for", "forwarded", "x-real-ip"]) expect(isLocalClient("127.0.0.1", new Headers({ [h]: "203.0.113.7" }))).toBe(false);
});
