import { describe, expect, test } from "bun:test";
import { admits, unitsForBatch } from "../../src/eventlog/append-units.ts";

const units = (...sizes: number[]) => sizes.map((n) => ({ entries: Array.from({ length: n }) }));

describe("append units", () => {
  test("a unit joins the queue whole or not at all", () => {
    expect(admits(2, 2, 4)).toBe(true);
    expect(admits(2, 3, 4)).toBe(false);
    expect(admits(4, 1, 4)).toBe(false);
    // An empty queue takes even a unit larger than the limit: it would never fit otherwise.
    expect(admits(0, 50, 4)).toBe(true);
  });

  test("a commit takes whole units up to the batch size, at least one", () => {
    expect(unitsForBatch(units(1, 1, 1), 2)).toBe(2);
    expect(unitsForBatch(units(1, 3, 1), 2)).toBe(1); // the unit of 3 is not split
    expect(unitsForBatch(units(5, 1), 2)).toBe(1); // a unit larger than a batch goes alone
    expect(unitsForBatch(units(2, 2, 1), 5)).toBe(3);
    expect(unitsForBatch(units(2, 2, 2), 5)).toBe(2);
    expect(unitsForBatch([], 5)).toBe(0);
  });
});
