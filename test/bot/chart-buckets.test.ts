// Native charts take a few dozen columns: a day of minutes becomes round local-time columns of
// averages, labelled in the chart's zone, and a column without data stays empty, never 0.
import { describe, expect, it } from "vitest";
import { chartBuckets, stepWords } from "../../src/bot/chart-buckets.ts";
import type { Chart, Point } from "../../src/bot/message.ts";

const minutes = (from: string, n: number, value: (i: number) => number | null, stepMin = 1): Point[] =>
  Array.from({ length: n }, (_, i) => ({ time: new Date(Date.parse(from) + i * stepMin * 60_000).toISOString(), value: value(i) }));

const chart = (series: Chart["series"], zone = "Europe/Berlin"): Chart => ({ kind: "line", title: "t", unit: "MilliSeconds", caption: "c", zone, series, bars: [] });

describe("chart columns", () => {
  it("keeps every point when they fit, labelled in the chart's zone", () => {
    const b = chartBuckets(chart([{ label: "gpt-4o", points: minutes("2026-11-29T09:00:00Z", 3, (i) => 100 + i) }]), 60);
    expect(b.labels).toEqual(["10:00", "10:01", "10:02"]);
    expect(b.series[0]?.values).toEqual([100, 101, 102]);
    expect(b.stepMinutes).toBeUndefined();
  });

  it("averages a day of minutes into round local columns, at most as many as asked", () => {
    const b = chartBuckets(chart([{ label: "gpt-4o", points: minutes("2026-11-28T10:00:00Z", 1440, (i) => i) }]), 60);
    expect(b.labels.length).toBeLessThanOrEqual(60);
    expect(b.stepMinutes).toBe(30);
    // across midnight: the weekday says which day
    expect(b.labels[0]).toBe("Sat 11:00");
    expect(b.labels).toContain("Sun 00:00");
    // the first column is the mean of minutes 0–29
    expect(b.series[0]?.values[0]).toBeCloseTo(14.5);
    expect(stepWords(30)).toBe("30-min averages");
  });

  it("leaves a column without data empty (null), never 0, and aligns series with gaps", () => {
    const a = minutes("2026-11-29T09:00:00Z", 120, (i) => (i >= 30 && i < 60 ? null : 10));
    const b = chartBuckets(chart([{ label: "a", points: a }, { label: "b", points: minutes("2026-11-29T10:00:00Z", 60, () => 5) }]), 20);
    expect(b.stepMinutes).toBe(10);
    expect(b.labels).toHaveLength(12);
    expect(b.series[0]?.values.slice(3, 6)).toEqual([null, null, null]);
    // b starts an hour later: its first six columns have no data
    expect(b.series[1]?.values.slice(0, 6)).toEqual([null, null, null, null, null, null]);
    expect(b.series[1]?.values.slice(6)).toEqual([5, 5, 5, 5, 5, 5]);
  });

  it("labels whole days with their date, and a week of hours with weekday and time", () => {
    const week = chartBuckets(chart([{ label: "x", points: minutes("2026-11-22T00:00:00Z", 168, () => 1, 60) }], "UTC"), 60);
    expect(week.stepMinutes).toBe(180);
    expect(week.labels[0]).toBe("Sun 00:00");
    const month = chartBuckets(chart([{ label: "x", points: minutes("2026-10-30T00:00:00Z", 30 * 24, () => 1, 60) }], "UTC"), 20);
    expect(month.stepMinutes).toBeGreaterThanOrEqual(1440);
    expect(month.labels[0]).toMatch(/^[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2}$/);
    expect(month.labels.length).toBeLessThanOrEqual(20);
  });

  it("names columns by the wall clock on a DST day", () => {
    // Europe/Berlin leaves summer time at 03:00 on 25 Oct 2026: hours stay on the hour
    const b = chartBuckets(chart([{ label: "x", points: minutes("2026-10-24T22:00:00Z", 6 * 60, () => 1) }]), 6);
    expect(b.stepMinutes).toBe(60);
    // six hours of minutes, local 00:00–05:00: the repeated 02:00 hour shares one column
    expect(b.labels).toEqual(["00:00", "01:00", "02:00", "03:00", "04:00"]);
  });
});
