import { describe, expect, test } from "bun:test";
import { dateRange, defaultInterval, readView, withFilter, withoutFilter, writeView } from "../../dashboard/src/lib/view-state.ts";

const view = (qs: string) => readView(new URLSearchParams(qs));

describe("dashboard view in the URL", () => {
  test("defaults: 30 days, visitors, no filters", () => {
    const v = view("");
    expect(v).toMatchObject({ period: "30d", compare: false, metric: "visitors", filters: [], tab: "traffic" });
    expect(writeView(v)).toBe("");
    expect(dateRange(v)).toBe("30d");
  });

  test("a view survives the round trip through its URL (bookmarks, shared links)", () => {
    const v = withFilter(withFilter(view("period=7d&compare=1&metric=bounce_rate"), ["is", "country", ["DE"]]), ["is", "page", ["/a|b"]]);
    const again = view(writeView(v).slice(1));
    expect(again).toEqual(v);
    expect(again.filters).toEqual([
      ["is", "country", ["DE"]],
      ["is", "page", ["/a|b"]],
    ]);
  });

  test("a second click on the same dimension replaces its filter; removing drops only it", () => {
    let v = withFilter(view(""), ["is", "country", ["DE"]]);
    v = withFilter(v, ["is", "source", ["Google"]]);
    v = withFilter(v, ["is", "country", ["FR"]]);
    expect(v.filters).toEqual([
      ["is", "source", ["Google"]],
      ["is", "country", ["FR"]],
    ]);
    expect(withoutFilter(v, "source").filters).toEqual([["is", "country", ["FR"]]]);
  });

  test("custom ranges need both dates; junk is ignored, not trusted", () => {
    expect(dateRange(view("period=custom&from=2026-11-01&to=2026-11-21"))).toEqual(["2026-11-01", "2026-11-21"]);
    expect(view("period=custom&from=2026-11-01").period).toBe("30d");
    expect(view("period=forever&f=drop|country|DE&f=is|country&interval=decade&tab=admin")).toMatchObject({ period: "30d", filters: [], interval: null, tab: "traffic" });
  });

  test("the graph's bucket follows the range unless chosen", () => {
    expect(defaultInterval(view("period=day"))).toBe("hour");
    expect(defaultInterval(view("period=30d"))).toBe("day");
    expect(defaultInterval(view("period=12mo"))).toBe("month");
    expect(defaultInterval(view("period=custom&from=2026-01-01&to=2026-11-21"))).toBe("month");
    expect(defaultInterval(view("period=30d&interval=week"))).toBe("week");
  });
});
