import { describe, expect, it } from "vitest";
import { nextSlots, slotAtOrBefore, slotsBetween } from "../../src/schedules/slots.ts";

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe("slots across daylight saving time", () => {
  it("fires a 09:00 Berlin schedule at 08:00Z in winter and 07:00Z in summer, once a day", () => {
    // Europe/Berlin springs forward on 2027-03-28
    const slots = slotsBetween({ cron: "0 9 * * *", timezone: "Europe/Berlin" }, new Date("2027-03-26T00:00:00Z"), new Date("2027-03-30T00:00:00Z"));
    expect(iso(slots)).toEqual(["2027-03-26T08:00:00.000Z", "2027-03-27T08:00:00.000Z", "2027-03-28T07:00:00.000Z", "2027-03-29T07:00:00.000Z"]);
  });

  it("fires once on the fall-back night when the wall-clock time happens twice (New York, 01:30)", () => {
    const slots = slotsBetween({ cron: "30 1 * * *", timezone: "America/New_York" }, new Date("2027-11-06T00:00:00Z"), new Date("2027-11-09T00:00:00Z"));
    expect(iso(slots)).toEqual(["2027-11-06T05:30:00.000Z", "2027-11-07T05:30:00.000Z", "2027-11-08T06:30:00.000Z"]);
  });

  it("skips a time that spring-forward removes (New York, 02:30 on 2027-03-14), as node-cron does", () => {
    const slots = slotsBetween({ cron: "30 2 * * *", timezone: "America/New_York" }, new Date("2027-03-13T00:00:00Z"), new Date("2027-03-16T00:00:00Z"));
    expect(iso(slots)).toEqual(["2027-03-13T07:30:00.000Z", "2027-03-15T06:30:00.000Z"]);
  });

  it("fires Berlin's fall-back hour once for an every-30-minutes schedule", () => {
    // 2026-10-25: 02:00–03:00 Berlin happens twice
    const slots = slotsBetween({ cron: "*/30 2 * * *", timezone: "Europe/Berlin" }, new Date("2026-10-24T23:00:00Z"), new Date("2026-10-25T03:00:00Z"));
    expect(iso(slots)).toEqual(["2026-10-25T00:00:00.000Z", "2026-10-25T00:30:00.000Z"]);
  });

  it("ANDs day-of-month with day-of-week (node-cron's rule): the 1st only when it is a Monday", () => {
    const slots = nextSlots({ cron: "0 9 1 * 1", timezone: "UTC" }, new Date("2026-11-29T00:00:00Z"), 2);
    expect(iso(slots)).toEqual(["2027-02-01T09:00:00.000Z", "2027-03-01T09:00:00.000Z"]);
  });

  it("finds the slot at or just before an instant", () => {
    expect(slotAtOrBefore({ cron: "0 9 * * 1-5", timezone: "Europe/Berlin" }, new Date("2026-11-29T12:00:00Z"))?.toISOString()).toBe("2026-11-27T08:00:00.000Z");
    expect(slotAtOrBefore({ cron: "0 9 * * *", timezone: "UTC" }, new Date("2026-11-29T09:00:00Z"))?.toISOString()).toBe("2026-11-29T09:00:00.000Z");
  });
});

describe("the repeated fall-back hour across separate scans", () => {
  it("does not offer the second 01:30 to a scan that starts between the two", () => {
    const s = { cron: "30 1 * * *", timezone: "America/New_York" };
    // 05:30Z is 01:30 EDT; 06:30Z is 01:30 EST, the same wall-clock slot
    expect(slotsBetween(s, new Date("2027-11-07T05:31:00Z"), new Date("2027-11-07T12:00:00Z"))).toEqual([]);
  });
});
