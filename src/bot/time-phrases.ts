// The small time grammar: "last 30 minutes", "24h", "today", "yesterday", "since 09:00",
// "between 10:00 and 11:00", and local days from day-phrases.ts ("on monday", "this morning"). A table of patterns, tried in order; the first hit wins.
import { InvalidWindowError } from "../queries/errors.ts";
import type { ClockTime, WindowSpec } from "../queries/question.ts";
import { RETENTION_DAYS } from "../queries/time-window.ts";
import { DAY_RULES, type TimeRule } from "./day-phrases.ts";
import { GatedRows } from "./pattern-gate.ts";

const UNIT_MINUTES: Readonly<Record<string, number>> = {
  m: 1, min: 1, mins: 1, minute: 1, minutes: 1,
  h: 60, hr: 60, hrs: 60, hour: 60, hours: 60,
  d: 1440, day: 1440, days: 1440,
  w: 10080, wk: 10080, wks: 10080, week: 10080, weeks: 10080,
  month: 43200, months: 43200,
};
const UNIT = "(minutes|minute|mins|min|m|hours|hour|hrs|hr|h|days|day|d|weeks|week|wks|wk|w|months|month)";
const NUMBER_WORDS: Readonly<Record<string, number>> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, "forty-five": 45, sixty: 60, ninety: 90 };
// digits may touch the unit ("24h"); a number word needs a space ("an hour", never "and")
const NUM = "(\\d{1,5}(?=\\s*[a-z])|(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty-five|sixty|ninety)(?=\\s))";
const CLOCK = "(\\d{1,2})(?::(\\d{2}))?\\s?(am|pm)?";
const MAX_MINUTES = RETENTION_DAYS * 1440;
const ISO = "(\\d{4}-\\d{2}-\\d{2}t\\d{2}:\\d{2}(?::\\d{2})?(?:\\.\\d+)?(?:z|[+-]\\d{2}:?\\d{2})?)";
/** "yesterday between 10:00 and 11:00", "since 09:00 yesterday": the day qualifies the clock times. */
const YESTERDAY = /\byesterday\b/;

export const TIME_RULES: readonly TimeRule[] = [
  { pattern: new RegExp(`\\b(?:between|from)\\s+${ISO}\\s*(?:and|to|until|till|-)\\s*${ISO}`), build: (m) => ({ kind: "absolute", start: (m[1] ?? "").toUpperCase(), end: (m[2] ?? "").toUpperCase() }) },
  // weekdays and parts of a day ("on monday", "monday between 9 and 11", "this morning") before the bare clock rules
  ...DAY_RULES,
  { pattern: new RegExp(`\\b(?:between|from)\\s+${CLOCK}\\s*(?:and|to|until|till|-)\\s*${CLOCK}`), build: (m, text) => ({ kind: "between", from: clock(m[1], m[2], m[3]), to: clock(m[4], m[5], m[6]), ...(YESTERDAY.test(text) ? { daysAgo: 1 } : {}) }) },
  { pattern: new RegExp(`\\bsince\\s+${CLOCK}(?![\\d])`), build: (m, text) => ({ kind: "since", time: clock(m[1], m[2], m[3]), ...(YESTERDAY.test(text) ? { daysAgo: 1 } : {}) }) },
  { pattern: /\bsince\s+(?:midnight|today|this morning)\b/, build: () => ({ kind: "today" }) },
  { pattern: /\bsince\s+yesterday\b/, build: () => ({ kind: "since", time: { hour: 0, minute: 0 }, daysAgo: 1 }) },
  { pattern: new RegExp(`\\b(?:in\\s+the\\s+|over\\s+the\\s+|for\\s+the\\s+|during\\s+the\\s+|within\\s+the\\s+)?(?:last|past|previous|recent)\\s+${NUM}\\s*${UNIT}\\b`), build: (m) => relative(m[1], m[2]) },
  { pattern: new RegExp(`\\b(?:in\\s+the\\s+|over\\s+the\\s+|for\\s+the\\s+|during\\s+the\\s+|within\\s+the\\s+)?(?:last|past|previous)\\s+${UNIT}\\b`), build: (m) => relative("1", m[1]) },
  { pattern: /\b(?:this|the past|the last)\s+(?:24|twenty four)\s*(?:hours|h)\b/, build: () => ({ kind: "relative", minutes: 1440 }) },
  { pattern: /\btoday\b|\bso far today\b|\bthis day\b/, build: () => ({ kind: "today" }) },
  { pattern: /\byesterday\b|\byday\b/, build: () => ({ kind: "yesterday" }) },
  { pattern: /\bthis\s+week\b|\bweek\s+to\s+date\b|\bwtd\b/, build: () => ({ kind: "this-week" }) },
  { pattern: /\bthis\s+month\b|\bmonth\s+to\s+date\b|\bmtd\b/, build: () => ({ kind: "this-month" }) },
  { pattern: /\b(?:hourly|this\s+hour)\b/, build: () => ({ kind: "relative", minutes: 60 }) },
  { pattern: new RegExp(`(?:^|\\s|=)${NUM}\\s*${UNIT}(?:\\s+ago)?(?=$|\\s|[,.;!?])`), build: (m) => relative(m[1], m[2]) },
];

export interface TimeMatch {
  readonly window: WindowSpec;
  /** The text with the time phrase blanked out, same length so other offsets stay valid. */
  readonly rest: string;
}

/** Most texts have no time phrase, or one of the later rules': gated, not tried rule by rule. */
const GATED_RULES = new GatedRows(TIME_RULES, (r) => r.pattern);

export function extractWindow(text: string): TimeMatch | undefined {
  const hit = GATED_RULES.first(text);
  if (hit) {
    const { row: rule, m } = hit;
    let rest = text.slice(0, m.index) + " ".repeat(m[0].length) + text.slice(m.index + m[0].length);
    const window = rule.build(m, text);
    // the "yesterday" that qualified a clock time is used up
    if ((window.kind === "since" || window.kind === "between") && window.daysAgo !== undefined) rest = rest.replace(YESTERDAY, "         ");
    return { window, rest };
  }
  return undefined;
}

function relative(n: string | undefined, unit: string | undefined): WindowSpec {
  const count = n === undefined ? 1 : (NUMBER_WORDS[n] ?? Number.parseInt(n, 10));
  const per = UNIT_MINUTES[unit ?? ""] ?? 60;
  return relativeWindow(count * per, `${n ?? ""} ${unit ?? ""}`);
}

/** The limits of a typed "last N units", for any window in minutes (a button's value is one a client can forge). */
export function relativeWindow(minutes: number, phrase = `${String(minutes)} minutes`): WindowSpec {
  if (!Number.isSafeInteger(minutes) || minutes < 1) {
    throw new InvalidWindowError(`"${phrase}" is not a window I can query.`, { hint: 'Try "last 30 minutes", "24h" or "7d".' });
  }
  if (minutes > MAX_MINUTES) {
    throw new InvalidWindowError(`Azure Monitor keeps platform metrics for ${RETENTION_DAYS} days; that window is longer.`, { hint: `Ask about ${RETENTION_DAYS} days or less, e.g. "30d".` });
  }
  return { kind: "relative", minutes };
}

function clock(h: string | undefined, m: string | undefined, ampm: string | undefined): ClockTime {
  let hour = Number.parseInt(h ?? "0", 10);
  const minute = m === undefined ? 0 : Number.parseInt(m, 10);
  if (ampm === "pm" && hour < 12) hour += 12;
  if (ampm === "am" && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) {
    throw new InvalidWindowError(`"${h ?? ""}${m === undefined ? "" : `:${m}`}" is not a time of day.`, { hint: 'Use 24-hour times like "since 09:00" or "between 13:00 and 14:30".' });
  }
  return { hour, minute };
}
