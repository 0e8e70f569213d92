// A line chart's points as a platform's native chart takes them: at most N columns along the time
// axis (Teams cards have a byte budget, Slack's data_visualization block takes 20 points a
// series), each labelled in the chart's zone ("14:00", "Sun 14:00", "29 Nov 14:00"). Past N, points
// are averaged into round wall-clock buckets (5 min, 1 h, 6 h…), which keeps a "per minute" series
// per minute; a bucket where a series had no data stays null for that series, never 0.
import { DateTime } from "luxon";
import type { Chart } from "./message.ts";

export interface Buckets {
  /** One label per column, in time order. */
  readonly labels: readonly string[];
  /** Per series, one value per column (null: no data in that column). */
  readonly series: readonly { readonly label: string; readonly values: readonly (number | null)[] }[];
  /** Minutes averaged into one column; undefined when every point has a column of its own. */
  readonly stepMinutes: number | undefined;
}

/** Bucket widths in minutes, smallest first: the first that makes at most `max` columns wins. */
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080] as const;
const MINUTE = 60_000;
const DAY = 1440;
/** Label words ("Sun", "Nov") in English whatever the server's locale: same data, same payload. */
const LOCALE = "en-US";

export function chartBuckets(chart: Chart, max: number): Buckets {
  const zone = validZone(chart.zone);
  const wall = wallClock(zone);
  const times = [...new Set(chart.series.flatMap((s) => s.points.map((p) => Date.parse(p.time))).filter((t) => Number.isFinite(t)))].sort((a, b) => a - b);
  const first = times[0];
  const last = times.at(-1);
  if (first === undefined || last === undefined) return { labels: [], series: chart.series.map((s) => ({ label: s.label, values: [] })), stepMinutes: undefined };
  const walls = times.map(wall);
  const step = times.length <= max ? undefined : STEPS.find((m) => new Set(walls.map((w) => cut(w, m))).size <= max) ?? STEPS[STEPS.length - 1];
  // columns are keyed by local wall-clock time (ms as if the zone were UTC): round local hours, and
  // the repeated hour of a DST night shares its column
  const keyOf = (t: number): number => (step === undefined ? t : cut(wall(t), step));
  const keys = [...new Set(times.map(keyOf))].sort((a, b) => a - b);
  const column = new Map(keys.map((k, i) => [k, i]));
  const format = labelFormat(first, last, step, zone);
  const labels = keys.map((k) => (step === undefined ? DateTime.fromMillis(k, { zone, locale: LOCALE }) : DateTime.fromMillis(k, { zone: "UTC", locale: LOCALE })).toFormat(format));
  const series = chart.series.map((s) => {
    const sums = keys.map(() => ({ total: 0, n: 0 }));
    for (const p of s.points) {
      const at = column.get(keyOf(Date.parse(p.time)));
      if (at === undefined || p.value === null) continue;
      const cell = sums[at]!;
      cell.total += p.value;
      cell.n++;
    }
    return { label: s.label, values: sums.map((c) => (c.n === 0 ? null : c.total / c.n)) };
  });
  return { labels, series, stepMinutes: step };
}

/** "30-min averages", "1-h averages": what a column is when points were averaged. */
export function stepWords(minutes: number): string {
  if (minutes % DAY === 0) return `${minutes / DAY}-day averages`;
  if (minutes % 60 === 0) return `${minutes / 60}-h averages`;
  return `${minutes}-min averages`;
}

/** Epoch ms → the zone's wall clock as if it were UTC; offsets cached per quarter hour (zones change offset on those). */
function wallClock(zone: string): (t: number) => number {
  const offsets = new Map<number, number>();
  return (t) => {
    const quarter = Math.floor(t / (15 * MINUTE));
    let offset = offsets.get(quarter);
    if (offset === undefined) {
      offset = DateTime.fromMillis(quarter * 15 * MINUTE, { zone }).offset;
      offsets.set(quarter, offset);
    }
    return t + offset * MINUTE;
  };
}

/** The start of the step-wide column a wall-clock time falls in: steps up to a day divide local days from midnight; longer ones count whole days from the epoch. */
function cut(wall: number, stepMinutes: number): number {
  const size = stepMinutes * MINUTE;
  return Math.floor(wall / size) * size;
}

/** Times only within one local day; the weekday within a week; the date beyond; no time of day for whole days. */
function labelFormat(first: number, last: number, step: number | undefined, zone: string): string {
  const a = DateTime.fromMillis(first, { zone });
  const b = DateTime.fromMillis(last, { zone });
  if (step !== undefined && step >= DAY) return "ccc d LLL";
  if (a.hasSame(b, "day")) return "HH:mm";
  return b.diff(a, "days").days <= 7 ? "ccc HH:mm" : "d LLL HH:mm";
}

function validZone(zone: string): string {
  return DateTime.now().setZone(zone).isValid ? zone : "UTC";
}
