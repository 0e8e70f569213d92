// Resolves a WindowSpec to absolute UTC instants in the configured IANA zone (DST-aware via luxon).
import { DateTime, type Zone } from "luxon";
import { resolveDayWindow } from "./day-windows.ts";
import { InvalidWindowError } from "./errors.ts";
import { atClock, daysEarlier, startOfDay, startOfMonth, startOfWeek, zoneNamed } from "./zone-offsets.ts";
import type { BaselineKind, ClockTime, WindowSpec } from "./question.ts";

export interface ResolvedWindow {
  readonly start: Date;
  readonly end: Date;
  /** How a person would name it, e.g. "last 1 h", "today", "yesterday". */
  readonly label: string;
}

/** Azure Monitor keeps platform metrics for 93 days. */
export const RETENTION_DAYS = 93;

export function resolveWindow(spec: WindowSpec, now: Date, zone: string): ResolvedWindow {
  const named = zoneNamed(zone);
  const nowMs = now.getTime();
  // now as a DateTime only where luxon's calendar is needed: building it was a good part of planning
  let dateTime: DateTime | undefined;
  const localOf = () => (dateTime ??= DateTime.fromJSDate(now, { zone: named }));
  // a remembering zone is valid; so is the DateTime of a valid instant in it
  const memo = typeof named !== "string" && !Number.isNaN(nowMs) ? named : undefined;
  // a rolling window is two instants, no calendar: luxon's minus of whole minutes is this subtraction
  // (other lengths, which relativeWindow refuses, take luxon's way to the same refusal)
  if (spec.kind === "relative" && (memo !== undefined || localOf().isValid) && Number.isInteger(spec.minutes) && spec.minutes >= 1 && spec.minutes <= RETENTION_DAYS * 1440) {
    const start = nowMs - spec.minutes * 60_000;
    checkWindow(nowMs, localOf, start, () => DateTime.fromMillis(start, { zone: localOf().zone }));
    return { start: new Date(start), end: new Date(nowMs), label: `last ${formatMinutes(spec.minutes)}` };
  }
  // calendar windows as luxon places them (startOf, minus days, set of a clock time), without DateTimes
  const fast = memo === undefined ? undefined : calendarWindow(spec, nowMs, memo);
  if (fast) {
    checkWindow(nowMs, localOf, fast.start, () => DateTime.fromMillis(fast.start, { zone: named }), fast.end);
    return { start: new Date(fast.start), end: new Date(fast.end), label: fast.label };
  }
  const local = localOf();
  const at = (day: DateTime, t: ClockTime) => day.set({ hour: t.hour, minute: t.minute, second: 0, millisecond: 0 });
  let start: DateTime;
  let end: DateTime = local;
  let label: string;
  switch (spec.kind) {
    case "relative":
      start = local.minus({ minutes: spec.minutes });
      label = `last ${formatMinutes(spec.minutes)}`;
      break;
    case "today":
      start = local.startOf("day");
      label = "today";
      break;
    case "yesterday":
      end = local.startOf("day");
      start = end.minus({ days: 1 });
      label = "yesterday";
      break;
    case "this-week":
      start = local.startOf("week");
      label = "this week";
      break;
    case "this-month":
      start = local.startOf("month");
      label = "this month";
      break;
    case "since": {
      const day = local.minus({ days: spec.daysAgo ?? 0 });
      start = at(day, spec.time);
      // "since 09:00" asked at 08:00 means yesterday's 09:00
      if (start > local) start = start.minus({ days: 1 });
      label = `since ${clock(spec.time)}${spec.daysAgo ? " yesterday" : ""}`;
      break;
    }
    case "between": {
      const day = local.minus({ days: spec.daysAgo ?? 0 });
      start = at(day, spec.from);
      end = at(day, spec.to);
      // "from 23:00 to 01:00" crosses midnight: it started the evening before
      if (end <= start) start = start.minus({ days: 1 });
      if (spec.daysAgo === undefined && start > local) {
        start = start.minus({ days: 1 });
        end = end.minus({ days: 1 });
      }
      if (end > local) end = local;
      label = `${clock(spec.from)}–${clock(spec.to)}${spec.daysAgo ? " yesterday" : ""}`;
      break;
    }
    case "weekday":
    case "day-part":
      ({ start, end, label } = resolveDayWindow(spec, local));
      break;
    case "absolute": {
      start = DateTime.fromISO(spec.start, { zone: local.zone });
      end = DateTime.fromISO(spec.end, { zone: local.zone });
      if (!start.isValid || !end.isValid) throw new InvalidWindowError(`"${spec.start}/${spec.end}" is not a valid time range.`, { hint: "Use ISO times, e.g. 2026-11-28T09:00Z." });
      if (end <= start) throw new InvalidWindowError("The time range ends before it starts.", { hint: "Put the earlier time first." });
      if (end > local) end = local;
      label = `${start.toFormat("MMM d HH:mm")}–${end.toFormat("MMM d HH:mm")}`;
      break;
    }
  }
  checkWindow(local.toMillis(), () => local, start.toMillis(), () => start, end.toMillis());
  return { start: start.toJSDate(), end: end.toJSDate(), label };
}

/** A clock time `set` can place as a wall-clock sum: whole hours and minutes of a day (24:00 is the next midnight, as in luxon). */
function wholeClock(t: ClockTime): boolean {
  return Number.isSafeInteger(t.hour) && Number.isSafeInteger(t.minute) && t.hour >= 0 && t.hour <= 24 && t.minute >= 0 && t.minute <= 59;
}

/**
 * today, yesterday, this week, this month, since and between in epoch ms, each step as the luxon
 * switch below takes it (DateTimes in a zone whose offset at an instant is its `o`); undefined for
 * the other kinds, which luxon computes.
 */
function calendarWindow(spec: WindowSpec, now: number, zone: Zone): { start: number; end: number; label: string } | undefined {
  switch (spec.kind) {
    case "today":
      return { start: startOfDay(now, zone), end: now, label: "today" };
    case "yesterday": {
      const midnight = startOfDay(now, zone);
      return { start: daysEarlier(midnight, 1, zone), end: midnight, label: "yesterday" };
    }
    case "this-week":
      return { start: startOfWeek(now, zone), end: now, label: "this week" };
    case "this-month":
      return { start: startOfMonth(now, zone), end: now, label: "this month" };
    case "since": {
      if (!wholeClock(spec.time) || !Number.isSafeInteger(spec.daysAgo ?? 0)) return undefined;
      const day = daysEarlier(now, spec.daysAgo ?? 0, zone);
      let start = atClock(day, spec.time.hour, spec.time.minute, zone);
      if (start > now) start = daysEarlier(start, 1, zone);
      return { start, end: now, label: `since ${clock(spec.time)}${spec.daysAgo ? " yesterday" : ""}` };
    }
    case "between": {
      if (!wholeClock(spec.from) || !wholeClock(spec.to) || !Number.isSafeInteger(spec.daysAgo ?? 0)) return undefined;
      const day = daysEarlier(now, spec.daysAgo ?? 0, zone);
      let start = atClock(day, spec.from.hour, spec.from.minute, zone);
      let end = atClock(day, spec.to.hour, spec.to.minute, zone);
      if (end <= start) start = daysEarlier(start, 1, zone);
      if (spec.daysAgo === undefined && start > now) {
        start = daysEarlier(start, 1, zone);
        end = daysEarlier(end, 1, zone);
      }
      if (end > now) end = now;
      return { start, end, label: `${clock(spec.from)}–${clock(spec.to)}${spec.daysAgo ? " yesterday" : ""}` };
    }
    default:
      return undefined;
  }
}

/**
 * Refuses a window that has not started, or starts more than RETENTION_DAYS calendar days before
 * now. The calendar diff (luxon's) is costly, and only a window within a day of the limit needs it:
 * DST moves a calendar day by an hour or two at most.
 */
function checkWindow(nowMs: number, local: () => DateTime, startMs: number, start: () => DateTime, endMs = nowMs): void {
  if (endMs <= startMs) throw new InvalidWindowError("That time window has not started yet.", { hint: "Ask about a window that has already started, e.g. \"last hour\" or \"yesterday between 10:00 and 11:00\"." });
  const elapsedDays = (nowMs - startMs) / 86_400_000;
  const before = elapsedDays <= RETENTION_DAYS - 1 ? false : elapsedDays >= RETENTION_DAYS + 1 ? true : local().diff(start(), "days").days > RETENTION_DAYS;
  if (before) {
    throw new InvalidWindowError(`Azure Monitor keeps platform metrics for ${RETENTION_DAYS} days; that window starts earlier.`, { hint: `Ask about the last ${RETENTION_DAYS} days or less, e.g. "tokens by deployment 30d".` });
  }
}

/** The equal-length window just before this one, for "change vs previous". */
export function previousWindow(w: ResolvedWindow): ResolvedWindow {
  const len = w.end.getTime() - w.start.getTime();
  return { start: new Date(w.start.getTime() - len), end: new Date(w.start.getTime()), label: "previous window" };
}

export interface Baseline extends ResolvedWindow {
  readonly kind: BaselineKind;
}

/** How each window is compared: calendar windows with the same span a period earlier, rolling ones with the equal window before. */
const WINDOW_BASELINE: Readonly<Record<WindowSpec["kind"], "previous" | "day-before" | "week-before" | "month-before">> = {
  relative: "previous",
  absolute: "previous",
  today: "day-before",
  yesterday: "day-before",
  since: "day-before",
  between: "day-before",
  "this-week": "week-before",
  "this-month": "month-before",
  // a weekday is compared with the same weekday a week before (not with the day before: Monday vs Sunday)
  weekday: "week-before",
  "day-part": "day-before",
};

/**
 * What the window is compared with. `asked` ("vs yesterday", "vs last week") shifts the same span;
 * otherwise the window's own kind decides. Shifts are in the zone's calendar, so a DST day stays 00:00–00:00.
 */
export function baselineWindow(spec: WindowSpec, w: ResolvedWindow, zone: string, asked?: "day-before" | "week-before"): Baseline {
  const how = asked ?? WINDOW_BASELINE[spec.kind];
  if (how === "previous") {
    const minutes = Math.round((w.end.getTime() - w.start.getTime()) / 60_000);
    return { ...previousWindow(w), kind: "previous", label: minutes === 60 ? "the previous hour" : `the previous ${formatMinutes(minutes)}` };
  }
  const shift = how === "day-before" ? { days: 1 } : how === "week-before" ? { weeks: 1 } : { months: 1 };
  const at = zoneNamed(zone);
  const days = how === "day-before" ? 1 : how === "week-before" ? 7 : undefined;
  const back = (d: Date) => (days !== undefined && typeof at !== "string" ? new Date(daysEarlier(d.getTime(), days, at)) : DateTime.fromJSDate(d, { zone: at }).minus(shift).toJSDate());
  const kind: BaselineKind = how === "month-before" ? "other" : how;
  return { start: back(w.start), end: back(w.end), kind, label: BASELINE_LABEL[spec.kind](how) };
}

const SAME_TIME = { "day-before": "the same time yesterday", "week-before": "the same time last week", "month-before": "the same days last month" } as const;
const BASELINE_LABEL: Readonly<Record<WindowSpec["kind"], (how: keyof typeof SAME_TIME) => string>> = {
  relative: (how) => SAME_TIME[how],
  absolute: (how) => SAME_TIME[how],
  today: (how) => SAME_TIME[how],
  since: (how) => SAME_TIME[how],
  between: (how) => (how === "day-before" ? "the same hours the day before" : SAME_TIME[how]),
  yesterday: (how) => (how === "day-before" ? "the day before" : "the same day last week"),
  "this-week": (how) => (how === "week-before" ? "the same time last week" : SAME_TIME[how]),
  "this-month": (how) => SAME_TIME[how],
  weekday: (how) => (how === "week-before" ? "the same hours a week earlier" : how === "day-before" ? "the same hours the day before" : SAME_TIME[how]),
  "day-part": (how) => (how === "day-before" ? "the same hours the day before" : SAME_TIME[how]),
};

export function isoSpan(w: { start: Date; end: Date }): string {
  return `${iso(w.start)}/${iso(w.end)}`;
}

/** Instants printed lately: a plan prints each of its few instants once per request. */
const PRINTED = new Map<number, string>();

/** ISO 8601 UTC without milliseconds, as Azure Monitor prints it. */
export function iso(d: Date): string {
  const ms = d.getTime();
  let text = PRINTED.get(ms);
  if (text === undefined) {
    text = d.toISOString().replace(/\.\d{3}Z$/, "Z");
    if (PRINTED.size >= 1024) PRINTED.clear();
    PRINTED.set(ms, text);
  }
  return text;
}

export function formatMinutes(minutes: number): string {
  if (minutes % (60 * 24 * 7) === 0 && minutes >= 2 * 60 * 24 * 7) return `${minutes / (60 * 24 * 7)} w`;
  if (minutes % (60 * 24) === 0 && minutes > 60 * 24) return `${minutes / (60 * 24)} d`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  if (minutes < 60) return `${minutes} min`;
  // uneven windows ("this week" so far): the two largest units are enough to read
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return d >= 2 ? `${d} d${h > 0 ? ` ${h} h` : ""}` : `${d * 24 + h} h${m > 0 ? ` ${m} min` : ""}`;
}

function clock(t: ClockTime): string {
  return `${String(t.hour).padStart(2, "0")}:${String(t.minute).padStart(2, "0")}`;
}

/** "Nov 29 09:00–10:00 Europe/Berlin" for the provenance line. */
export function describeInZone(w: { start: Date; end: Date }, zone: string): string {
  const s = DateTime.fromJSDate(w.start, { zone });
  const e = DateTime.fromJSDate(w.end, { zone });
  const sameDay = s.hasSame(e, "day");
  return `${s.toFormat("yyyy-MM-dd HH:mm")}–${e.toFormat(sameDay ? "HH:mm" : "yyyy-MM-dd HH:mm")} ${zone}`;
}

/** "in the last 2 h"; a calendar window by its name: "in the window (yesterday)". */
export function inWindow(label: string): string {
  return label.startsWith("last ") ? `in the ${label}` : `in the window (${label})`;
}
