// Weekday and part-of-day windows, read by the time grammar and resolved in the configured zone at
// an injected now: local calendar days (a DST day is 23 or 25 hours), and what each is compared with.
import { describe, expect, it } from "vitest";
import { parse } from "../../src/bot/parse.ts";
import { InvalidWindowError } from "../../src/queries/errors.ts";
import { baselineWindow, resolveWindow } from "../../src/queries/time-window.ts";

const ctx = { deployments: ["gpt-4o", "gpt-4o-mini", "text-embedding-3-large", "gpt-4o-ptu"] };

function spans(text: string, now: string, zone: string): { window: string; label: string; baseline: string; compared: string } {
  const parsed = parse(text, ctx);
  if (parsed.kind !== "question") throw new Error(`${text} was not a question`);
  const w = resolveWindow(parsed.question.window, new Date(now), zone);
  const b = baselineWindow(parsed.question.window, w, zone);
  const iso = (d: Date) => d.toISOString().replace(".000Z", "Z");
  return { window: `${iso(w.start)}/${iso(w.end)}`, label: w.label, baseline: `${iso(b.start)}/${iso(b.end)}`, compared: b.label };
}

// Tuesday 2026-12-01 14:30 UTC = 15:30 in Berlin
const TUESDAY = "2026-12-01T14:30:00Z";

describe("weekdays", () => {
  it.each([
    ["latency on monday", "2026-11-29T23:00:00Z/2026-11-30T23:00:00Z", "Monday Nov 30 (yesterday)"],
    ["errors monday", "2026-11-29T23:00:00Z/2026-11-30T23:00:00Z", "Monday Nov 30 (yesterday)"],
    ["errors last sunday", "2026-11-28T23:00:00Z/2026-11-29T23:00:00Z", "Sunday Nov 29"],
    ["errors on sun", "2026-11-28T23:00:00Z/2026-11-29T23:00:00Z", "Sunday Nov 29"],
    ["errors on wednesday", "2026-11-24T23:00:00Z/2026-11-25T23:00:00Z", "Wednesday Nov 25"],
    // today's weekday is today so far; "last" is always before today
    ["errors on tuesday", "2026-11-30T23:00:00Z/2026-12-01T14:30:00Z", "Tuesday Dec 1 (today), so far"],
    ["errors last tuesday", "2026-11-23T23:00:00Z/2026-11-24T23:00:00Z", "Tuesday Nov 24"],
    ["errors monday between 9 and 11", "2026-11-30T08:00:00Z/2026-11-30T10:00:00Z", "Monday Nov 30 (yesterday) 09:00–11:00"],
    ["errors between 9:30 and 11 on monday", "2026-11-30T08:30:00Z/2026-11-30T10:00:00Z", "Monday Nov 30 (yesterday) 09:30–11:00"],
    ["tokens monday morning", "2026-11-30T05:00:00Z/2026-11-30T11:00:00Z", "Monday Nov 30 (yesterday) morning (06:00–12:00)"],
    ["tokens on friday evening", "2026-11-27T17:00:00Z/2026-11-27T23:00:00Z", "Friday Nov 27 evening (18:00–24:00)"],
    ["errors friday night", "2026-11-27T21:00:00Z/2026-11-28T05:00:00Z", "Friday Nov 27 overnight (22:00–06:00)"],
  ])("%s → %s (%s), compared with the same hours a week earlier", (text, window, label) => {
    const s = spans(text, TUESDAY, "Europe/Berlin");
    expect(s).toMatchObject({ window, label, compared: "the same hours a week earlier" });
    const [start, end] = window.split("/").map((t) => Date.parse(t ?? "") - 7 * 86_400_000);
    expect(s.baseline).toBe(`${new Date(start ?? 0).toISOString().replace(".000Z", "Z")}/${new Date(end ?? 0).toISOString().replace(".000Z", "Z")}`);
  });

  it("a weekday whose hours have not come yet today is last week's", () => {
    expect(spans("errors tuesday evening", TUESDAY, "Europe/Berlin")).toMatchObject({ window: "2026-11-24T17:00:00Z/2026-11-24T23:00:00Z", label: "Tuesday Nov 24 evening (18:00–24:00)" });
  });

  it("is a local calendar day across a DST change: 25 hours, and the week before 24", () => {
    // Berlin leaves summer time on Sunday 2026-10-25; asked on Tuesday Oct 27
    expect(spans("requests on sunday", "2026-10-27T12:00:00Z", "Europe/Berlin")).toMatchObject({ window: "2026-10-24T22:00:00Z/2026-10-25T23:00:00Z", baseline: "2026-10-17T22:00:00Z/2026-10-18T22:00:00Z" });
    // New York springs forward on Sunday 2026-03-08: its morning is 06:00–12:00 EDT
    expect(spans("requests sunday morning", "2026-03-09T15:00:00Z", "America/New_York")).toMatchObject({ window: "2026-03-08T10:00:00Z/2026-03-08T16:00:00Z", baseline: "2026-03-01T11:00:00Z/2026-03-01T17:00:00Z" });
  });

  it("refuses 'since monday' rather than reading it as Monday alone", () => {
    expect(() => parse("errors since monday", ctx)).toThrow(InvalidWindowError);
  });
});

describe("parts of a day", () => {
  // 08:15 UTC = 09:15 in Berlin
  const MORNING = "2026-12-01T08:15:00Z";
  it.each([
    ["errors this morning", MORNING, "2026-12-01T05:00:00Z/2026-12-01T08:15:00Z", "this morning (06:00–12:00), so far", "2026-11-30T05:00:00Z/2026-11-30T08:15:00Z"],
    ["errors this morning", TUESDAY, "2026-12-01T05:00:00Z/2026-12-01T11:00:00Z", "this morning (06:00–12:00)", "2026-11-30T05:00:00Z/2026-11-30T11:00:00Z"],
    // the night runs 22:00–06:00: the one just gone began yesterday evening
    ["requests overnight", TUESDAY, "2026-11-30T21:00:00Z/2026-12-01T05:00:00Z", "last night (22:00–06:00)", "2026-11-29T21:00:00Z/2026-11-30T05:00:00Z"],
    ["requests last night", TUESDAY, "2026-11-30T21:00:00Z/2026-12-01T05:00:00Z", "last night (22:00–06:00)", "2026-11-29T21:00:00Z/2026-11-30T05:00:00Z"],
    ["requests tonight", "2026-12-01T21:30:00Z", "2026-12-01T17:00:00Z/2026-12-01T21:30:00Z", "this evening (18:00–24:00), so far", "2026-11-30T17:00:00Z/2026-11-30T21:30:00Z"],
    ["errors yesterday afternoon", TUESDAY, "2026-11-30T11:00:00Z/2026-11-30T17:00:00Z", "yesterday afternoon (12:00–18:00)", "2026-11-29T11:00:00Z/2026-11-29T17:00:00Z"],
    ["tokens in the afternoon", TUESDAY, "2026-12-01T11:00:00Z/2026-12-01T14:30:00Z", "this afternoon (12:00–18:00), so far", "2026-11-30T11:00:00Z/2026-11-30T14:30:00Z"],
    // a bare part that has not started today is yesterday's
    ["tokens in the evening", MORNING, "2026-11-30T17:00:00Z/2026-11-30T23:00:00Z", "yesterday evening (18:00–24:00)", "2026-11-29T17:00:00Z/2026-11-29T23:00:00Z"],
    ["errors since this morning", TUESDAY, "2026-12-01T05:00:00Z/2026-12-01T14:30:00Z", "since 06:00", "2026-11-30T05:00:00Z/2026-11-30T14:30:00Z"],
  ])("%s at %s → %s (%s), compared with %s", (text, now, window, label, baseline) => {
    expect(spans(text, now, "Europe/Berlin")).toMatchObject({ window, label, baseline });
  });

  it("says 'this evening' asked in the morning has not started", () => {
    const p = parse("errors this evening", ctx);
    if (p.kind !== "question") throw new Error("not a question");
    expect(() => resolveWindow(p.question.window, new Date("2026-12-01T08:15:00Z"), "Europe/Berlin")).toThrow(/has not started yet/);
  });
});
