import { describe, expect, it } from "vitest";
import { sparkline } from "../../src/bot/sparkline.ts";

describe("sparklines", () => {
  it("draws low to high and leaves gaps for missing points", () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe("▁▂▃▄▅▆▇█");
    expect(sparkline([1, null, 1])).toBe("▁ ▁");
  });

  it("draws nothing when there is no data at all", () => {
    expect(sparkline([null, null])).toBe("");
  });

  it("fits long series into the width", () => {
    expect(sparkline(Array.from({ length: 1440 }, (_, i) => i), 48)).toHaveLength(48);
  });
});
