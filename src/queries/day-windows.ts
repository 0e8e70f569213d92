// Local-day windows: "on monday", "last tuesday morning", "this afternoon", "overnight". Days are
// the zone's calendar days (luxon), so a DST day is 23 or 25 hours and still 00:00–00:00 local.
import type { DateTime } from "luxon";
import type { ClockTime, DayPart, WindowSpec } from "./question.ts";

type DayWindowSpec = Extract<WindowSpec, { kind: "weekday" | "day-part" }>;

const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

export function weekdayName(weekday: number): string {
  return WEEKDAY_NAMES[weekday - 1] ?? `day ${weekday}`;
}

/**
 * The span of a day window as of `local` (now, in the zone). A window still running ends now
 * ("so far"). One that has not started yet on the chosen day is taken one period earlier
 * (a week for a weekday, a day otherwise), unless the day was pinned ("this morning", "yesterday").
 */
export function resolveDayWindow(spec: DayWindowSpec, local: DateTime): { start: DateTime; end: DateTime; label: string } {
  const today = local.startOf("day");
  const period = spec.kind === "weekday" ? 7 : 1;
  let back = spec.kind === "weekday" ? (local.weekday - spec.weekday + 7) % 7 : (spec.daysAgo ?? 0);
  if (spec.kind === "weekday" && back === 0 && spec.beforeToday) back = 7;
  let span = spanOf(today.minus({ days: back }), spec.part);
  const pinned = spec.kind === "day-part" && spec.daysAgo !== undefined;
  if (!pinned && span.start >= local) {
    back += period;
    span = spanOf(today.minus({ days: back }), spec.part);
  }
  const soFar = span.end > local;
  const end = soFar ? local : span.end;
  return { start: span.start, end, label: label(spec, span.start, back, soFar) };
}

function spanOf(day: DateTime, part: DayPart | undefined): { start: DateTime; end: DateTime } {
  if (part === undefined) return { start: day, end: day.plus({ days: 1 }) };
  const start = at(day, part.from);
  let end = at(day, part.to);
  if (end <= start) end = at(day.plus({ days: 1 }), part.to);
  return { start, end };
}

/** 24:00 is the start of the next local day (not +24 h: a DST day is shorter or longer). */
function at(day: DateTime, t: ClockTime): DateTime {
  if (t.hour >= 24) return day.plus({ days: 1 }).startOf("day");
  return day.set({ hour: t.hour, minute: t.minute, second: 0, millisecond: 0 });
}

function label(spec: DayWindowSpec, start: DateTime, back: number, soFar: boolean): string {
  const hours = spec.part === undefined ? "" : `${clock(spec.part.from)}–${clock(spec.part.to)}`;
  const name = spec.part?.name;
  const relative = back === 0 ? "today" : back === 1 ? "yesterday" : undefined;
  let text: string;
  if (spec.kind === "weekday") {
    const day = `${weekdayName(spec.weekday)} ${start.toFormat("MMM d")}${relative === undefined ? "" : ` (${relative})`}`;
    text = spec.part === undefined ? day : name === undefined ? `${day} ${hours}` : `${day} ${name} (${hours})`;
  } else {
    const part = name ?? hours;
    // "this morning", "yesterday afternoon", "last night" (the night that began yesterday)
    const night = name === "overnight";
    const day = relative === undefined ? (night ? `the night from ${start.toFormat("cccc MMM d")}` : `${start.toFormat("cccc MMM d")} ${part}`) : night ? (relative === "today" ? "tonight" : "last night") : relative === "today" ? `this ${part}` : `yesterday ${part}`;
    text = name === undefined ? day : `${day} (${hours})`;
  }
  return soFar ? `${text}, so far` : text;
}

function clock(t: ClockTime): string {
  return `${String(t.hour).padStart(2, "0")}:${String(t.minute).padStart(2, "0")}`;
}
