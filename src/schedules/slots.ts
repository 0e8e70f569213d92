// Which instants a schedule fires at, with node-cron's own matcher (the same rules the live scheduler
// uses): day-of-month AND day-of-week, wall-clock times in the schedule's zone, a time that DST skips
// does not fire that day, and a time DST repeats fires once (the first).
import { DateTime } from "luxon";
import { createTask, type ScheduledTask } from "node-cron";
import type { Schedule } from "./schedule.ts";

const MINUTE = 60_000;
/** Looking further ahead than this for "next runs" means the expression hardly ever fires. */
const MAX_SCAN_MINUTES = 400 * 24 * 60;

const matchers = new Map<string, ScheduledTask>();

function matcher(s: Pick<Schedule, "cron" | "timezone">): ScheduledTask {
  const key = `${s.cron}|${s.timezone}`;
  let task = matchers.get(key);
  if (!task) {
    task = createTask(s.cron, () => undefined, { timezone: s.timezone });
    matchers.set(key, task);
  }
  return task;
}

/** Slots in [from, to), oldest first. */
export function slotsBetween(s: Pick<Schedule, "cron" | "timezone">, from: Date, to: Date, limit = 10_000): Date[] {
  const task = matcher(s);
  const out: Date[] = [];
  let t = Math.ceil(from.getTime() / MINUTE) * MINUTE;
  for (; t < to.getTime() && out.length < limit; t += MINUTE) {
    const d = new Date(t);
    if (task.match(d) && !repeatedWallTime(d, s.timezone)) out.push(d);
  }
  return out;
}

/**
 * Fall-back repeats a wall-clock hour: the second 01:30 is the same slot as the first. Decided from the
 * instant alone (was it this wall time 30 or 60 minutes earlier?), so it holds across separate scans.
 */
function repeatedWallTime(d: Date, zone: string): boolean {
  const wall = (x: Date) => DateTime.fromJSDate(x, { zone }).toFormat("yyyy-MM-dd HH:mm");
  const here = wall(d);
  return [30, 60].some((m) => wall(new Date(d.getTime() - m * MINUTE)) === here);
}

/** The next `count` slots strictly after `after`. */
export function nextSlots(s: Pick<Schedule, "cron" | "timezone">, after: Date, count: number): Date[] {
  return slotsBetween(s, new Date(after.getTime() + 1), new Date(after.getTime() + MAX_SCAN_MINUTES * MINUTE), count);
}

/** The latest slot at or before `at` within `lookbackMs`, if any. */
export function slotAtOrBefore(s: Pick<Schedule, "cron" | "timezone">, at: Date, lookbackMs = 32 * 24 * 3_600_000): Date | undefined {
  // walk back a day at a time so a daily schedule needs one short scan
  for (let end = at.getTime() + MINUTE; end > at.getTime() - lookbackMs; end -= 24 * 3_600_000) {
    const slots = slotsBetween(s, new Date(Math.max(end - 24 * 3_600_000, at.getTime() - lookbackMs)), new Date(Math.min(end, at.getTime() + 1)));
    const last = slots.at(-1);
    if (last) return last;
  }
  return undefined;
}
