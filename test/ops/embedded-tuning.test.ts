import { expect, test } from "bun:test";
import { sharedBuffersMb } from "../../src/db/embedded.ts";

const GB = 2 ** 30;

test("the embedded buffer cache is an eighth of memory, at least PostgreSQL's default 128 MB and at most 1 GB", () => {
  expect(sharedBuffersMb(0.5 * GB)).toBe(128);
  expect(sharedBuffersMb(1 * GB)).toBe(128);
  expect(sharedBuffersMb(2 * GB)).toBe(256);
  expect(sharedBuffersMb(4 * GB)).toBe(512);
  expect(sharedBuffersMb(8 * GB)).toBe(1024);
  expect(sharedBuffersMb(64 * GB)).toBe(1024);
});
