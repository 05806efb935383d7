import { describe, expect, test } from "bun:test";
import { formatVital, vitalRating } from "../../dashboard/src/lib/vitals.ts";

describe("Web Vitals as the dashboard shows them", () => {
  test("Google's thresholds: good up to the first, poor above the second", () => {
    expect(vitalRating("lcp_p75", 2500)).toBe("good");
    expect(vitalRating("lcp_p75", 2501)).toBe("warn");
    expect(vitalRating("lcp_p75", 4000)).toBe("warn");
    expect(vitalRating("lcp_p75", 4001)).toBe("bad");
    expect(vitalRating("inp_p75", 200)).toBe("good");
    expect(vitalRating("inp_p75", 501)).toBe("bad");
    expect(vitalRating("cls_p75", 0.1)).toBe("good");
    expect(vitalRating("cls_p75", 0.26)).toBe("bad");
    expect(vitalRating("fcp_p75", 1801)).toBe("warn");
    expect(vitalRating("ttfb_p75", 1801)).toBe("bad");
  });

  test("milliseconds below a second, seconds from one, CLS unitless", () => {
    expect(formatVital("inp_p75", 263)).toBe("263 ms");
    expect(formatVital("lcp_p75", 999.6)).toBe("1.00 s");
    expect(formatVital("lcp_p75", 3250)).toBe("3.25 s");
    expect(formatVital("ttfb_p75", 1000)).toBe("1.00 s");
    expect(formatVital("cls_p75", 0.05)).toBe("0.05");
    expect(formatVital("cls_p75", 0.123)).toBe("0.123");
  });
});
