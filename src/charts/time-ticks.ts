// Time-axis ticks chosen and labelled here, in the chart's zone, with luxon: vega's own time
// formatting follows the process's TZ, which is the server's, not the reader's. Ticks sit on the
// zone's wall clock (every 6 h from local midnight), so a DST day keeps 00:00, 06:00, 12:00, 18:00.
import { DateTime } from "luxon";

export interface Tick {
  readonly at: number;
  readonly label: string;
}

export const MAX_TICKS = 8;
/** The words of the labels ("Sun") are English whatever the server's locale is: same data, same picture. */
const LOCALE = "en-US";

/** Candidate steps in minutes, smallest first; the first that keeps at most MAX_TICKS wins. */
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 20160, 43200] as const;
const DAY = 1440;

export function validZone(zone: string): string {
  return DateTime.now().setZone(zone).isValid ? zone : "UTC";
}

/** Ticks within [from, to] (epoch ms), on round wall-clock times of `zone`. */
export function timeTicks(from: number, to: number, zone: string): Tick[] {
  const z = validZone(zone);
  const start = DateTime.fromMillis(from, { zone: z, locale: LOCALE });
  const end = DateTime.fromMillis(to, { zone: z, locale: LOCALE });
  const multiDay = !start.hasSame(end, "day");
  for (const step of STEPS) {
    // far too many at this step (a DST day moves the count by one at most): don't make them
    if ((to - from) / (step * 60_000) > MAX_TICKS + 1 && step !== STEPS[STEPS.length - 1]) continue;
    const ats = step < DAY ? withinDays(start, end, step) : everyDays(start, end, step / DAY);
    if (ats.length <= MAX_TICKS || step === STEPS[STEPS.length - 1]) {
      return ats.map((t) => ({ at: t.toMillis(), label: label(t, step, multiDay) }));
    }
  }
  return [];
}

/** Wall-clock times k×step after each local midnight (a time DST skips is left out). */
function withinDays(start: DateTime, end: DateTime, step: number): DateTime[] {
  const out = new Map<number, DateTime>();
  for (let day = start.startOf("day"); day <= end; day = day.plus({ days: 1 })) {
    for (let m = 0; m < DAY; m += step) {
      const t = day.set({ hour: Math.floor(m / 60), minute: m % 60 });
      // luxon moves a skipped time forward; it is not a round time any more
      if (t.hour * 60 + t.minute !== m) continue;
      if (t >= start && t <= end) out.set(t.toMillis(), t);
    }
  }
  return [...out.values()].sort((a, b) => a.toMillis() - b.toMillis());
}

function everyDays(start: DateTime, end: DateTime, days: number): DateTime[] {
  const out: DateTime[] = [];
  const first = start.startOf("day") < start ? start.startOf("day").plus({ days: 1 }) : start.startOf("day");
  for (let t = first; t <= end; t = t.plus({ days })) out.push(t);
  return out;
}

/** "10:15"; on a multi-day axis local midnight is the day, "Sun 29"; day steps always are. */
function label(t: DateTime, step: number, multiDay: boolean): string {
  if (step >= DAY || (multiDay && t.hour === 0 && t.minute === 0)) return t.toFormat("ccc d");
  return t.toFormat("HH:mm");
}
