// Rows of the time grammar for local days: weekdays ("on monday", "last tuesday", "monday between
// 9 and 11", "monday morning") and parts of a day ("this morning", "yesterday afternoon",
// "overnight"). time-phrases.ts tries these before its clock rules.
import { InvalidWindowError } from "../queries/errors.ts";
import type { ClockTime, DayPart, WindowSpec } from "../queries/question.ts";

export interface TimeRule {
  readonly pattern: RegExp;
  readonly build: (m: RegExpExecArray, text: string) => WindowSpec;
}

/** Named parts of a day. The night runs from 22:00 into the next morning: "friday night" ends on Saturday, "last night" this morning. */
export const DAY_PARTS: Readonly<Record<string, DayPart>> = {
  morning: { name: "morning", from: { hour: 6, minute: 0 }, to: { hour: 12, minute: 0 } },
  afternoon: { name: "afternoon", from: { hour: 12, minute: 0 }, to: { hour: 18, minute: 0 } },
  evening: { name: "evening", from: { hour: 18, minute: 0 }, to: { hour: 24, minute: 0 } },
  overnight: { name: "overnight", from: { hour: 22, minute: 0 }, to: { hour: 6, minute: 0 } },
};

/** What people say for each part. */
const PART_WORDS: Readonly<Record<string, string>> = {
  morning: "morning", mornings: "morning",
  afternoon: "afternoon", afternoons: "afternoon",
  evening: "evening", evenings: "evening", tonight: "evening",
  night: "overnight", overnight: "overnight", "early hours": "overnight", "small hours": "overnight",
};

const WEEKDAY_WORDS: Readonly<Record<string, number>> = {
  monday: 1, mon: 1, tuesday: 2, tue: 2, tues: 2, wednesday: 3, wed: 3, weds: 3, thursday: 4, thu: 4, thur: 4, thurs: 4, friday: 5, fri: 5, saturday: 6, sat: 6, sunday: 7, sun: 7,
};

/** Full names anywhere; the short ones ("mon", "sun") only after "on" or "last", where they can't be another word. */
const FULL_DAY = "(monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
const DAY = `(?:(?:on\\s+)?(?:(last|past|previous)\\s+)?${FULL_DAY}|(?:on\\s+|(last|past|previous)\\s+)(mon|tues?|wed|weds|thu|thurs?|fri|sat|sun))(?:'s)?`;
const PART = "(mornings?|afternoons?|evenings?|night|overnight|early hours|small hours)";
const CLOCK = "(\\d{1,2})(?::(\\d{2}))?\\s?(am|pm)?";
const RANGE = `(?:between|from)\\s+${CLOCK}\\s*(?:and|to|until|till|-)\\s*${CLOCK}`;

interface DayMatch {
  readonly weekday: number;
  readonly beforeToday: boolean;
}

/** The weekday of a DAY match starting at group `i` (four groups: last, full name, last, short name). */
function day(m: RegExpExecArray, i: number): DayMatch {
  const word = m[i + 1] ?? m[i + 3] ?? "";
  return { weekday: WEEKDAY_WORDS[word] ?? 1, beforeToday: m[i] !== undefined || m[i + 2] !== undefined };
}

function part(word: string | undefined): DayPart {
  return DAY_PARTS[PART_WORDS[word ?? ""] ?? "morning"]!;
}

function hours(m: RegExpExecArray, i: number): DayPart {
  return { from: clock(m[i], m[i + 1], m[i + 2]), to: clock(m[i + 3], m[i + 4], m[i + 5]) };
}

export const DAY_RULES: readonly TimeRule[] = [
  // "since this morning": from the part's start up to now, not just the part
  { pattern: new RegExp(`\\bsince\\s+(?:this\\s+)?${PART}\\b`), build: (m) => ({ kind: "since", time: part(m[1]).from }) },
  // a span from a weekday up to now is not a window this grammar has: said, not read as that day alone
  {
    pattern: new RegExp(`\\b(?:since|from)\\s+${DAY}(?![a-z0-9-])`),
    build: (m) => {
      throw new InvalidWindowError(`I can't read "${m[0]}" as a window yet.`, { hint: 'Ask "this week", "on monday" or "last 3 days".' });
    },
  },
  // "monday between 9 and 11", "between 9 and 11 on monday"
  { pattern: new RegExp(`\\b${DAY}\\s+${RANGE}`), build: (m) => ({ kind: "weekday", ...day(m, 1), part: hours(m, 5) }) },
  { pattern: new RegExp(`\\b${RANGE}\\s+${DAY}`), build: (m) => ({ kind: "weekday", ...day(m, 7), part: hours(m, 1) }) },
  // "monday morning", "last tuesday afternoon", "on monday in the evening", "friday night"
  { pattern: new RegExp(`\\b${DAY}\\s+(?:in\\s+the\\s+|during\\s+the\\s+)?${PART}\\b`), build: (m) => ({ kind: "weekday", ...day(m, 1), part: part(m[5]) }) },
  // "the morning of last monday", "morning on monday"
  { pattern: new RegExp(`\\b(?:the\\s+)?${PART}\\s+(?:of\\s+)?${DAY}`), build: (m) => ({ kind: "weekday", ...day(m, 2), part: part(m[1]) }) },
  { pattern: new RegExp(`\\b${DAY}(?![a-z0-9-])`), build: (m) => ({ kind: "weekday", ...day(m, 1) }) },
  // "yesterday morning", "this afternoon", "last night", "tonight", "in the morning", "overnight"
  { pattern: new RegExp(`\\byesterday\\s+(?:in\\s+the\\s+)?${PART}\\b|\\b(?:the\\s+)?${PART}\\s+(?:of\\s+)?yesterday\\b`), build: (m) => ({ kind: "day-part", part: part(m[1] ?? m[2]), daysAgo: 1 }) },
  { pattern: /\blast\s+night\b/, build: () => ({ kind: "day-part", part: part("night"), daysAgo: 1 }) },
  { pattern: new RegExp(`\\b(?:this|today'?s?)\\s+${PART}\\b|\\btonight\\b`), build: (m) => ({ kind: "day-part", part: part(m[1] ?? "tonight"), daysAgo: 0 }) },
  { pattern: new RegExp(`\\b(?:in\\s+the\\s+|during\\s+the\\s+|over\\s+the\\s+)?${PART}(?![a-z0-9-])`), build: (m) => ({ kind: "day-part", part: part(m[1]) }) },
];

function clock(h: string | undefined, m: string | undefined, ampm: string | undefined): ClockTime {
  let hour = Number.parseInt(h ?? "0", 10);
  const minute = m === undefined ? 0 : Number.parseInt(m, 10);
  if (ampm === "pm" && hour < 12) hour += 12;
  if (ampm === "am" && hour === 12) hour = 0;
  // "monday between 9 and 24" reads as until the end of the day
  if (hour > 24 || minute > 59 || (hour === 24 && minute > 0)) {
    throw new InvalidWindowError(`"${h ?? ""}${m === undefined ? "" : `:${m}`}" is not a time of day.`, { hint: 'Use 24-hour times like "monday between 09:00 and 11:00".' });
  }
  return { hour, minute };
}
