import { describe, expect, it } from "vitest";
import { combineSeries, windowValue, type RawPoint } from "../../src/queries/aggregate.ts";

const t = (minute: number) => new Date(Date.UTC(2026, 10, 29, 10, minute));

describe("window figures from points", () => {
  it("weights averages by their counts, not the mean of per-minute averages", () => {
    // minute 0: 1 call at 1000 ms; minute 1: 99 calls at 100 ms → true average 109 ms (mean of averages would be 550)
    const points: RawPoint[] = [
      { time: t(0), average: 1000, count: 1 },
      { time: t(1), average: 100, count: 99 },
    ];
    expect(windowValue(points, "Average").value).toBeCloseTo(109, 10);
  });

  it("sums totals and skips missing points instead of reading them as zero", () => {
    const points: RawPoint[] = [{ time: t(0), total: 5 }, { time: t(1) }, { time: t(2), total: 7 }];
    expect(windowValue(points, "Total")).toMatchObject({ value: 12, points: 2 });
  });

  it("reports no data (null), never 0, when no point carries the aggregation", () => {
    expect(windowValue([{ time: t(0) }, { time: t(1) }], "Total").value).toBeNull();
    expect(windowValue([], "Average").value).toBeNull();
    expect(windowValue([{ time: t(0), average: 5, count: 0 }], "Average").value).toBeNull();
  });

  it("keeps a real zero total as 0", () => {
    expect(windowValue([{ time: t(0), total: 0 }], "Total").value).toBe(0);
  });

  it("takes the max of maxima and the min of minima", () => {
    const points: RawPoint[] = [
      { time: t(0), maximum: 300, minimum: 90 },
      { time: t(1) },
      { time: t(2), maximum: 2100, minimum: 120 },
    ];
    expect(windowValue(points, "Maximum").value).toBe(2100);
    expect(windowValue(points, "Minimum").value).toBe(90);
  });

  it("asks for a FULL point when averages come without counts", () => {
    const r = windowValue([{ time: t(0), average: 10 }, { time: t(1), average: 20 }], "Average");
    expect(r.value).toBeNull();
    expect(r.needsFull).toBe(true);
  });

  it("uses a single FULL average as it is", () => {
    expect(windowValue([{ time: t(0), average: 42.5 }], "Average").value).toBe(42.5);
  });
});

describe("merging series point by point", () => {
  it("adds totals and weights averages across series with uneven traffic", () => {
    const a: RawPoint[] = [{ time: t(0), total: 10, average: 200, count: 10 }, { time: t(1), total: 2, average: 900, count: 2 }];
    const b: RawPoint[] = [{ time: t(0), total: 30, average: 100, count: 30 }];
    const merged = combineSeries([a, b]);
    expect(merged).toHaveLength(2);
    expect(merged[0]).toMatchObject({ total: 40, count: 40, average: 125 });
    expect(merged[1]).toMatchObject({ total: 2, count: 2, average: 900 });
    // the window average over both series: (10×200 + 2×900 + 30×100) / 42
    expect(windowValue(merged, "Average").value).toBeCloseTo(6800 / 42, 10);
  });

  it("keeps points sorted by time and leaves gaps as gaps", () => {
    const merged = combineSeries([[{ time: t(5), total: 1 }], [{ time: t(1), total: 2 }], [{ time: t(3) }]]);
    expect(merged.map((p) => p.time.getUTCMinutes())).toEqual([1, 3, 5]);
    expect(merged[1]?.total).toBeUndefined();
  });
});
