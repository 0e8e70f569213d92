import { DateTime, IANAZone } from "luxon";
import { describe, expect, it } from "vitest";
import { daysEarlier, startOfDay, zoneNamed } from "../../src/queries/zone-offsets.ts";

const MINUTE = 60_000;

describe("zone offsets remembered per minute", () => {
  // each window spans a transition: spring forward, fall back, a half-hour zone, and a southern-hemisphere one
  it.each([
    ["Europe/Berlin", "2026-03-29T00:30:00Z"],
    ["Europe/Berlin", "2026-10-25T00:30:00Z"],
    ["America/New_York", "2027-03-14T06:30:00Z"],
    ["Australia/Lord_Howe", "2026-04-04T14:30:00Z"],
    ["Australia/Sydney", "2026-10-03T15:30:00Z"],
  ])("give %s the same offset as the zone itself at every second around %s", (name, around) => {
    const zone = zoneNamed(name);
    const real = IANAZone.create(name);
    const from = Date.parse(around);
    const offsets = new Set<number>();
    for (let ts = from; ts < from + 60 * MINUTE; ts += 7_000) {
      expect(typeof zone === "string" ? NaN : zone.offset(ts), new Date(ts).toISOString()).toBe(real.offset(ts));
      offsets.add(real.offset(ts));
    }
    expect(offsets.size).toBe(2);
  });

  it("keep local days and times as luxon's own zone reads them across a DST change", () => {
    const zone = zoneNamed("Europe/Berlin");
    const at = new Date("2026-10-25T12:00:00Z");
    const ours = DateTime.fromJSDate(at, { zone }).startOf("day").minus({ days: 1 });
    const luxons = DateTime.fromJSDate(at, { zone: "Europe/Berlin" }).startOf("day").minus({ days: 1 });
    expect(ours.toISO()).toBe(luxons.toISO());
    expect(ours.toFormat("cccc MMM d HH:mm ZZZZ")).toBe(luxons.toFormat("cccc MMM d HH:mm ZZZZ"));
  });

  it("leave names luxon reads otherwise as they are", () => {
    expect(zoneNamed("UTC")).toBe("UTC");
    expect(zoneNamed("Mars/Olympus")).toBe("Mars/Olympus");
  });
});

describe("whole days earlier at the same local time", () => {
  // every 10 minutes through the days after a transition: the day before falls in the gap, the overlap, or across it
  it.each([
    ["Europe/Berlin", "2026-03-29T00:00:00Z"],
    ["Europe/Berlin", "2026-10-25T00:00:00Z"],
    ["America/New_York", "2027-03-14T04:00:00Z"],
    ["America/New_York", "2026-11-01T04:00:00Z"],
    ["Australia/Lord_Howe", "2026-10-03T12:00:00Z"],
  ])("land where luxon's minus puts them in %s after %s", (name, from) => {
    const zone = zoneNamed(name);
    if (typeof zone === "string") throw new Error(`${name} is an IANA zone`);
    const start = Date.parse(from);
    for (const days of [1, 7]) {
      const from = start + (days - 1) * 86_400_000;
      for (let ts = from; ts < from + 2 * 86_400_000; ts += 10 * MINUTE) {
        const luxons = DateTime.fromMillis(ts, { zone: name }).minus({ days }).toMillis();
        expect(daysEarlier(ts, days, zone), `${new Date(ts).toISOString()} − ${days} d`).toBe(luxons);
      }
    }
  });
});

describe("local midnights", () => {
  // Santiago and Havana change their clocks at midnight: some days there start at 01:00
  it.each([
    ["Europe/Berlin", "2026-03-28T00:00:00Z"],
    ["Europe/Berlin", "2026-10-24T00:00:00Z"],
    ["America/Santiago", "2026-09-05T00:00:00Z"],
    ["America/Santiago", "2026-04-04T00:00:00Z"],
    ["America/Havana", "2026-03-07T00:00:00Z"],
  ])("start the day and the day before where luxon does in %s from %s", (name, from) => {
    const zone = zoneNamed(name);
    if (typeof zone === "string") throw new Error(`${name} is an IANA zone`);
    const start = Date.parse(from);
    for (let ts = start; ts < start + 3 * 86_400_000; ts += 10 * MINUTE) {
      const midnight = DateTime.fromMillis(ts, { zone: name }).startOf("day");
      expect(startOfDay(ts, zone), new Date(ts).toISOString()).toBe(midnight.toMillis());
      expect(daysEarlier(startOfDay(ts, zone), 1, zone), new Date(ts).toISOString()).toBe(midnight.minus({ days: 1 }).toMillis());
    }
  });
});
