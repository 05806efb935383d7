import { expect, test } from "bun:test";
import { createLru } from "../../src/ingest/lru.ts";

test("keeps what is used, forgets what is not, and holds at most 2 × max keys", () => {
  const lru = createLru<number>(3);
  for (let i = 0; i < 3; i++) lru.set(`k${i}`, i);
  expect(lru.get("k0")).toBe(0);
  for (let i = 3; i < 9; i++) {
    lru.set(`k${i}`, i);
    expect(lru.get("k0")).toBe(0); // used every insertion: never evicted
  }
  expect(lru.get("k1")).toBeUndefined(); // not used since: gone
  expect(lru.size).toBeLessThanOrEqual(6);
  for (let i = 0; i < 1000; i++) lru.set(`n${i}`, i);
  expect(lru.size).toBeLessThanOrEqual(6);
});

test("stores falsy values and refuses over-long keys", () => {
  const lru = createLru<boolean | null>(10, 5);
  lru.set("a", false);
  lru.set("b", null);
  expect(lru.get("a")).toBe(false);
  expect(lru.get("b")).toBeNull();
  expect(lru.set("toolongkey", true)).toBe(true);
  expect(lru.get("toolongkey")).toBeUndefined();
});
