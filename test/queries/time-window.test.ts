import { describe, expect, it } from "vitest";
import { InvalidWindowError } from "../../src/queries/errors.ts";
import { formatMinutes, isoSpan, previousWindow, resolveWindow } from "../../src/queries/time-window.ts";
import type { WindowSpec } from "../../src/queries/question.ts";

const span = (spec: WindowSpec, now: string, zone: string) => isoSpan(resolveWindow(spec, new Date(now), zone));

describe("windows in the configured time zone", () => {
  it("reads 'today' from local midnight", () => {
    expect(span({ kind: "today" }, "2026-11-29T10:00:00Z", "America/New_York")).toBe("2026-11-29T05:00:00Z/2026-11-29T10:00:00Z");
  });

  it("gives 'yesterday' its real length across a DST change (25 h on fall-back day)", () => {
    // Europe/Berlin left summer time on 2026-10-25: that day lasted 25 hours
    expect(span({ kind: "yesterday" }, "2026-10-26T12:00:00Z", "Europe/Berlin")).toBe("2026-10-24T22:00:00Z/2026-10-25T23:00:00Z");
    // America/New_York sprang forward on 2027-03-14: 23 hours
    expect(span({ kind: "yesterday" }, "2027-03-15T12:00:00Z", "America/New_York")).toBe("2027-03-14T05:00:00Z/2027-03-15T04:00:00Z");
  });

  it("reads 'since 09:00' as today, or yesterday when it is not 09:00 yet", () => {
    expect(span({ kind: "since", time: { hour: 9, minute: 0 } }, "2026-11-29T10:30:00Z", "Europe/Berlin")).toBe("2026-11-29T08:00:00Z/2026-11-29T10:30:00Z");
    expect(span({ kind: "since", time: { hour: 9, minute: 0 } }, "2026-11-29T06:30:00Z", "Europe/Berlin")).toBe("2026-11-28T08:00:00Z/2026-11-29T06:30:00Z");
  });

  it("cuts 'between' at now, and takes yesterday's when it has not started today", () => {
    expect(span({ kind: "between", from: { hour: 10, minute: 0 }, to: { hour: 12, minute: 0 } }, "2026-11-29T11:00:00Z", "UTC")).toBe("2026-11-29T10:00:00Z/2026-11-29T11:00:00Z");
    expect(span({ kind: "between", from: { hour: 22, minute: 0 }, to: { hour: 23, minute: 0 } }, "2026-11-29T11:00:00Z", "UTC")).toBe("2026-11-28T22:00:00Z/2026-11-28T23:00:00Z");
  });

  it("reads a window across midnight as starting the evening before", () => {
    expect(span({ kind: "between", from: { hour: 23, minute: 0 }, to: { hour: 1, minute: 0 } }, "2026-11-29T10:00:00Z", "UTC")).toBe("2026-11-28T23:00:00Z/2026-11-29T01:00:00Z");
  });

  it("moves clock times to yesterday when asked", () => {
    expect(span({ kind: "between", from: { hour: 10, minute: 0 }, to: { hour: 11, minute: 0 }, daysAgo: 1 }, "2026-11-29T12:00:00Z", "Europe/Berlin")).toBe("2026-11-28T09:00:00Z/2026-11-28T10:00:00Z");
    expect(span({ kind: "since", time: { hour: 0, minute: 0 }, daysAgo: 1 }, "2026-11-29T12:00:00Z", "UTC")).toBe("2026-11-28T00:00:00Z/2026-11-29T12:00:00Z");
  });

  it("starts 'this month' on the first, in the zone", () => {
    expect(span({ kind: "this-month" }, "2026-11-29T10:00:00Z", "Europe/Berlin")).toBe("2026-10-31T23:00:00Z/2026-11-29T10:00:00Z");
  });

  it("starts 'this week' on Monday", () => {
    expect(span({ kind: "this-week" }, "2026-11-29T10:00:00Z", "UTC")).toBe("2026-11-23T00:00:00Z/2026-11-29T10:00:00Z");
  });

  it("compares with the equal window just before", () => {
    const w = resolveWindow({ kind: "relative", minutes: 90 }, new Date("2026-11-29T10:00:00Z"), "UTC");
    expect(isoSpan(previousWindow(w))).toBe("2026-11-29T07:00:00Z/2026-11-29T08:30:00Z");
  });

  it("refuses windows Azure Monitor cannot answer", () => {
    expect(() => resolveWindow({ kind: "between", from: { hour: 13, minute: 0 }, to: { hour: 14, minute: 0 }, daysAgo: 0 }, new Date("2026-11-29T12:00:00Z"), "UTC")).toThrow(/not started yet/);
    expect(() => resolveWindow({ kind: "absolute", start: "2026-01-01T00:00Z", end: "2026-01-02T00:00Z" }, new Date("2026-11-29T12:00:00Z"), "UTC")).toThrow(/93 days/);
    expect(() => resolveWindow({ kind: "absolute", start: "nope", end: "2026-01-02T00:00Z" }, new Date("2026-11-29T12:00:00Z"), "UTC")).toThrow(InvalidWindowError);
  });
});

describe("window lengths in words", () => {
  it.each([
    [15, "15 min"],
    [60, "1 h"],
    [90, "1 h 30 min"],
    [1440, "24 h"],
    [2880, "2 d"],
    [10080, "7 d"], [20160, "2 w"],
    [9946, "6 d 21 h"],
    [1500, "25 h"],
  ])("%i minutes → %s", (minutes, text) => {
    expect(formatMinutes(minutes)).toBe(text);
  });
});
