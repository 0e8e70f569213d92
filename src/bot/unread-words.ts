// Time-looking words the time grammar left unread ("last quarter", "since the deploy", "on 3rd"):
// answering without them would answer another window, so the question is refused with the
// windows that ARE read. Generic on purpose: whatever time-phrases.ts consumes is never seen here,
// so a phrase works the moment the grammar learns it, and is refused until then.
import { UserError } from "../queries/errors.ts";
import { extractWindow } from "./time-phrases.ts";

export class UnreadTimeError extends UserError {
  readonly code = "unread_time";
  /** The phrase as typed. */
  readonly phrase: string;

  constructor(phrase: string, message: string, options: { readonly hint: string; readonly examples: readonly string[] }) {
    super(message, options);
    this.phrase = phrase;
  }
}

interface TimeWords {
  /** Words that can only be about time. */
  readonly words: readonly string[];
  /** Windows offered instead, best first; only those the grammar reads are offered. */
  readonly instead: readonly string[];
}

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues", "thu", "thur", "thurs", "fri", "weekend", "weekends", "weekday", "weekdays"];
// "may", "sun", "sat", "wed" are left out: as words they are mostly not dates
const MONTHS = ["january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"];

const TIME_WORDS: readonly TimeWords[] = [
  { words: ["morning", "mornings", "afternoon", "afternoons", "evening", "evenings", "night", "nights", "tonight", "overnight", "noon", "midday", "midnight", "lunchtime", "am", "pm"], instead: ["this morning", "since 06:00", "between 06:00 and 12:00", "today"] },
  { words: WEEKDAYS, instead: ["on monday", "yesterday", "this week", "7d"] },
  { words: [...MONTHS, "quarter", "quarters", "year", "years", "ytd", "fortnight"], instead: ["this month", "30d", "90d"] },
  { words: ["today", "yesterday", "tomorrow", "ago", "since", "until", "till", "before", "after", "earlier", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month", "months", "daily", "weekly", "monthly", "hourly"], instead: ["today", "yesterday", "this week", "24h"] },
];

/** Times of day, ordinals and dates: "14:00", "9am", "3rd", "2026-11-01", "11/03". */
const TIME_SHAPES: readonly RegExp[] = [/^\d{1,2}:\d{2}$/, /^\d{1,2}(?:am|pm)$/, /^\d{1,2}(?:st|nd|rd|th)$/, /^\d{4}-\d{2}-\d{2}/, /^\d{1,2}\/\d{1,2}(?:\/\d{2,4})?$/];

/** Words that lead a time phrase and are quoted with it ("last quarter", "on 3rd"). */
const LEADS = new Set(["last", "past", "previous", "next", "this", "on", "in", "at", "the", "every", "per", "early", "late", "from", "by", "during", "over", "for", "of", "a", "an"]);
/** Said after a question, not part of the phrase. */
const TRAILING = new Set(["please", "pls", "thanks", "thank", "you", "ok"]);

/** Every window the grammar reads, as offered in the hint (filtered the same way as the examples). */
const WINDOWS = ["30m", "24h", "7d", "today", "yesterday", "this week", "this month", "since 09:00", "between 10:00 and 11:00", "this morning", "on monday"];

const BY_WORD = new Map(TIME_WORDS.flatMap((t) => t.words.map((w) => [w, t] as const)));
const TOKEN = /[a-z0-9][a-z0-9:/._'-]*/g;

/**
 * `rest` is the question with every phrase the parser understood blanked (same length as `text`);
 * a time-looking word still in it was not read, and the question is refused.
 */
export function refuseUnreadTime(rest: string, text: string): void {
  const tokens = [...rest.matchAll(TOKEN)].map((m) => ({ word: trimEnd(m[0]), start: m.index, end: m.index + m[0].length }));
  const at = tokens.findIndex((t) => timeWords(t.word) !== undefined);
  if (at < 0) return;
  // the unread phrase: the run of words around the time word that nothing else read
  const adjacent = (i: number) => rest.slice(tokens[i]!.end, tokens[i + 1]!.start) === " ";
  let from = at;
  let to = at;
  while (from > 0 && adjacent(from - 1) && (LEADS.has(tokens[from - 1]!.word) || timeWords(tokens[from - 1]!.word) !== undefined || /^\d+$/.test(tokens[from - 1]!.word))) from--;
  while (to < tokens.length - 1 && adjacent(to) && !TRAILING.has(tokens[to + 1]!.word)) to++;
  const phrase = rest.slice(tokens[from]!.start, tokens[to]!.end);
  const kind = timeWords(tokens[at]!.word);
  const read = (w: string) => extractWindow(w) !== undefined;
  // offsets of `rest` are those of `text` unless lower-casing changed a length; then quote what is left
  const source = text.length === rest.length ? text : rest;
  const question = (w: string) => withoutCourtesy(`${source.slice(0, tokens[from]!.start)}${w}${source.slice(tokens[to]!.end)}`);
  throw new UnreadTimeError(phrase, `I can't read the time "${phrase}" yet, so I haven't answered for another window.`, {
    hint: `Windows I read: ${WINDOWS.filter(read).map((w) => `\`${w}\``).join(", ")} (default: the last hour; Azure Monitor keeps 93 days).`,
    examples: (kind?.instead ?? []).filter(read).slice(0, 3).map(question),
  });
}

/** "3rd." → "3rd", without a regex that would rescan a long run of dots from every position. */
function trimEnd(word: string): string {
  let end = word.length;
  while (end > 0 && ".'-".includes(word.charAt(end - 1))) end--;
  return word.slice(0, end);
}

/** An offered question without the "please" it was asked with. */
function withoutCourtesy(text: string): string {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  while (words.length > 1 && TRAILING.has(words[words.length - 1]!)) words.pop();
  return words.join(" ");
}

function timeWords(word: string): TimeWords | undefined {
  const known = BY_WORD.get(word);
  if (known) return known;
  return TIME_SHAPES.some((s) => s.test(word)) ? TIME_WORDS[TIME_WORDS.length - 1] : undefined;
}
