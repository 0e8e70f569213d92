// Calendar windows (today, yesterday, this week, this month, since, between) are computed without
// luxon's DateTimes for speed: they must land on exactly the instants luxon's own calendar gives,
// around DST changes too. The reference below is luxon used the plain way.
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { ClockTime, WindowSpec } from "../../src/queries/question.ts";
import { resolveWindow } from "../../src/queries/time-window.ts";

const ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Sao_Paulo", "Pacific/Chatham", "Africa/Casablanca"];

/** The window as luxon places it, step by step. */
function byLuxon(spec: WindowSpec, now: Date, zone: string): { start: number; end: number } {
  const local = DateTime.fromJSDate(now, { zone });
  const at = (day: DateTime, t: ClockTime) => day.set({ hour: t.hour, minute: t.minute, second: 0, millisecond: 0 });
  switch (spec.kind) {
    case "today":
      return { start: local.startOf("day").toMillis(), end: local.toMillis() };
    case "yesterday":
      return { start: local.startOf("day").minus({ days: 1 }).toMillis(), end: local.startOf("day").toMillis() };
    case "this-week":
      return { start: local.startOf("week").toMillis(), end: local.toMillis() };
    case "this-month":
      return { start: local.startOf("month").toMillis(), end: local.toMillis() };
    case "since": {
      let start = at(local.minus({ days: spec.daysAgo ?? 0 }), spec.time);
      if (start > local) start = start.minus({ days: 1 });
      return { start: start.toMillis(), end: local.toMillis() };
    }
    case "between": {
      const day = local.minus({ days: spec.daysAgo ?? 0 });
      let start = at(day, spec.from);
      let end = at(day, spec.to);
      if (end <= start) start = start.minus({ days: 1 });
      if (spec.daysAgo === undefined && start > local) {
        start = start.minus({ days: 1 });
        end = end.minus({ days: 1 });
      }
      if (end > local) end = local;
      return { start: start.toMillis(), end: end.toMillis() };
    }
    default:
      throw new Error(`not a calendar window: ${spec.kind}`);
  }
}

function windowOrRefusal(f: () => { start: number; end: number }): { start: number; end: number } | string {
  try {
    return f();
  } catch (e) {
    return (e as Error).message;
  }
}

const clock = fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.constantFrom(0, 15, 30, 59) });
const spec: fc.Arbitrary<WindowSpec> = fc.oneof(
  fc.constantFrom<WindowSpec>({ kind: "today" }, { kind: "yesterday" }, { kind: "this-week" }, { kind: "this-month" }),
  fc.record({ kind: fc.constant("since" as const), time: clock, daysAgo: fc.option(fc.constant(1), { nil: undefined }) }).map((s): WindowSpec => (s.daysAgo === undefined ? { kind: "since", time: s.time } : { kind: "since", time: s.time, daysAgo: s.daysAgo })),
  fc.record({ kind: fc.constant("between" as const), from: clock, to: clock, daysAgo: fc.option(fc.constant(1), { nil: undefined }) }).map((s): WindowSpec => (s.daysAgo === undefined ? { kind: "between", from: s.from, to: s.to } : { kind: "between", from: s.from, to: s.to, daysAgo: s.daysAgo })),
);

describe("calendar windows without DateTimes", () => {
  it("start and end where luxon's calendar puts them, in zones with DST, half-hour and 45-minute offsets", () => {
    fc.assert(
      fc.property(spec, fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2028, 0, 1) }), (s, zone, ms) => {
        const now = new Date(ms - (ms % 1000));
        const ours = windowOrRefusal(() => {
          const w = resolveWindow(s, now, zone);
          return { start: w.start.getTime(), end: w.end.getTime() };
        });
        const luxons = windowOrRefusal(() => {
          const w = byLuxon(s, now, zone);
          if (w.end <= w.start) throw new Error("That time window has not started yet.");
          return w;
        });
        expect(ours).toEqual(luxons);
      }),
      { numRuns: 3000 },
    );
  });

  // every 20 minutes over the days around a transition: "since 02:30" on the day 02:30 was skipped or repeated
  it.each([
    ["Europe/Berlin", "2026-03-28T12:00:00Z"],
    ["Europe/Berlin", "2026-10-24T12:00:00Z"],
    ["America/New_York", "2027-03-13T12:00:00Z"],
    ["Australia/Lord_Howe", "2026-10-03T00:00:00Z"],
  ])("land where luxon's do in %s through the days after %s", (zone, from) => {
    const specs: WindowSpec[] = [
      { kind: "since", time: { hour: 2, minute: 30 } },
      { kind: "since", time: { hour: 2, minute: 15 }, daysAgo: 1 },
      { kind: "between", from: { hour: 1, minute: 30 }, to: { hour: 3, minute: 0 } },
      { kind: "between", from: { hour: 23, minute: 0 }, to: { hour: 2, minute: 30 }, daysAgo: 1 },
      { kind: "this-week" },
      { kind: "this-month" },
      { kind: "yesterday" },
    ];
    for (let ms = Date.parse(from); ms < Date.parse(from) + 2 * 86_400_000; ms += 20 * 60_000) {
      for (const s of specs) {
        const now = new Date(ms);
        const ours = windowOrRefusal(() => {
          const w = resolveWindow(s, now, zone);
          return { start: w.start.getTime(), end: w.end.getTime() };
        });
        const luxons = windowOrRefusal(() => {
          const w = byLuxon(s, now, zone);
          if (w.end <= w.start) throw new Error("That time window has not started yet.");
          return w;
        });
        expect(ours, `${JSON.stringify(s)} at ${now.toISOString()}`).toEqual(luxons);
      }
    }
  });
});
