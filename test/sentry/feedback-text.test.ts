import { expect, test } from "bun:test";
import { scrubFeedbackText } from "../../src/feedback/build-feedback-event.ts";

test("feedback text is scrubbed in full up to 4,096 characters, cut at white space", () => {
  const words = Array.from({ length: 600 }, (_, i) => (i % 50 === 49 ? "mail dana@example.com now" : "word")).join(" ");
  const out = scrubFeedbackText(words);
  expect(words.length).toBeGreaterThan(3000);
  expect(out).not.toContain("dana@example.com");
  expect(out.match(/<email>/g)).toHaveLength(12);
  expect(out.length).toBeLessThanOrEqual(4096);
  expect(scrubFeedbackText("x".repeat(4096))).toHaveLength(4096);
});
