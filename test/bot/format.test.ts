import { describe, expect, it } from "vitest";
import { formatChange, formatValue } from "../../src/bot/format.ts";

describe("figures as people read them", () => {
  it.each([
    [null, "Count", "no data"],
    [0, "Count", "0"],
    [1234567, "Count", "1,234,567"],
    [812.4, "MilliSeconds", "812 ms"],
    [42.25, "MilliSeconds", "42.3 ms"],
    [99.95, "Percent", "99.95 %"],
    [99.987, "Percent", "99.987 %"],
    [100, "Percent", "100 %"],
    [1_500_000, "Bytes", "1.5 MB"],
  ] as const)("%s %s → %s", (value, unit, text) => {
    expect(formatValue(value, unit)).toBe(text);
  });

  it("shows change only when both windows have data", () => {
    expect(formatChange(112, 100)).toBe("▲ +12.0 %");
    expect(formatChange(97, 100)).toBe("▼ −3.0 %");
    expect(formatChange(100, 100)).toBe("= no change");
    expect(formatChange(5, 0)).toBe("▲ new (was 0)");
    expect(formatChange(null, 100)).toBeUndefined();
    expect(formatChange(100, null)).toBeUndefined();
  });
});

