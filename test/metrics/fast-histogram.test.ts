import { expect, test } from "bun:test";
import { Histogram, Registry } from "prom-client";
import { FastHistogram } from "../../src/metrics/fast-histogram.ts";

test("renders exactly what prom-client's Histogram renders for the same observations", async () => {
  const buckets = [0.001, 0.01, 0.1, 1];
  const ours = new Registry();
  const theirs = new Registry();
  const fast = new FastHistogram("x_seconds", "help text", ["route", "status"], buckets, [ours]);
  const slow = new Histogram({ name: "x_seconds", help: "help text", labelNames: ["route", "status"], buckets, registers: [theirs] });
  const child = fast.child({ route: "/a", status: "202" });
  for (const v of [0.0005, 0.001, 0.05, 0.5, 2, 0.02]) {
    child.observe(v);
    slow.observe({ route: "/a", status: "202" }, v);
    fast.observe({ route: "/b", status: "429" }, v * 3);
    slow.observe({ route: "/b", status: "429" }, v * 3);
  }
  expect(await ours.metrics()).toBe(await theirs.metrics());
  expect(await ours.metrics()).toContain('x_seconds_bucket{le="0.01",route="/a",status="202"} 2');
});
