// At most CHART_MAX_SERIES lines or bars in one chart: the first ones as ranked, the rest as one
// "other" when they add up (totals and counts), or left out with a note when they don't (an
// average, maximum or share of the rest is not the rest's sum). No data stays null, never 0.
import type { Aggregation } from "../queries/catalog.ts";
import { CHART_MAX_SERIES, type Chart, type Point } from "./message.ts";

type Line = Chart["series"][number];
type Bar = Chart["bars"][number];

export interface Limited<T> {
  readonly items: readonly T[];
  /** Said in the caption when some were left out instead of summed. */
  readonly note?: string;
}

const ADDITIVE: ReadonlySet<Aggregation> = new Set(["Total", "Count"]);

/** Totals and counts add up across series; averages, maxima and minima don't. */
export function additive(aggregation: Aggregation): boolean {
  return ADDITIVE.has(aggregation);
}

const NOT_SUMMED: Readonly<Record<Aggregation, string>> = { Total: "totals", Count: "counts", Average: "averages", Maximum: "maxima", Minimum: "minima" };

/** "averages": what the left-out rows are, in the note that says why they were not summed. */
export function notSummed(aggregation: Aggregation): string {
  return NOT_SUMMED[aggregation];
}

export function otherLabel(n: number): string {
  return `other (${n})`;
}

function leftOutNote(drawn: number, left: number, what: string): string {
  return `${drawn} of ${drawn + left} drawn; the other ${left} ${left === 1 ? "is left" : "are left"} out (${what} don't add up)`;
}

/**
 * `rows` ranked as the query layer ranked them; `hidden` more rows were cut before they reached
 * the answer, so their "other" is `all` (every row's points summed) less the drawn rows.
 */
export function limitLines(rows: readonly Line[], o: { readonly all: readonly Point[]; readonly hidden: number; readonly aggregation: Aggregation }): Limited<Line> {
  const left = rows.length + o.hidden;
  if (o.hidden === 0 && rows.length <= CHART_MAX_SERIES) return { items: rows };
  if (!additive(o.aggregation)) {
    const kept = rows.slice(0, CHART_MAX_SERIES);
    return { items: kept, note: leftOutNote(kept.length, left - kept.length, NOT_SUMMED[o.aggregation]) };
  }
  const kept = rows.slice(0, CHART_MAX_SERIES - 1);
  const rest = rows.slice(kept.length);
  const points = o.hidden === 0 ? sumPoints(rest.map((r) => r.points)) : lessPoints(o.all, kept.map((r) => r.points));
  return { items: [...kept, { label: otherLabel(left - kept.length), points }] };
}

/** Bars of a breakdown; `total` is the whole figure when `hidden` rows were cut (additive figures only). */
export function limitBars(rows: readonly Bar[], o: { readonly total: number | null; readonly hidden: number; readonly additive: boolean; readonly what: string }): Limited<Bar> {
  const left = rows.length + o.hidden;
  if (o.hidden === 0 && rows.length <= CHART_MAX_SERIES) return { items: rows };
  if (!o.additive) {
    const kept = rows.slice(0, CHART_MAX_SERIES);
    return { items: kept, note: leftOutNote(kept.length, left - kept.length, o.what) };
  }
  const kept = rows.slice(0, CHART_MAX_SERIES - 1);
  const rest = rows.slice(kept.length);
  const keptSum = sum(kept.map((b) => b.value));
  const value = o.hidden === 0 ? sum(rest.map((b) => b.value)) : o.total === null ? null : clean(o.total - (keptSum ?? 0));
  return { items: [...kept, { label: otherLabel(left - kept.length), value }] };
}

function sum(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0);
}

/** Point by point; a time where no series has data stays null. */
function sumPoints(series: readonly (readonly Point[])[]): Point[] {
  const byTime = new Map<number, { time: string; values: (number | null)[] }>();
  for (const s of series) for (const p of s) {
    const at = byTime.get(Date.parse(p.time)) ?? { time: p.time, values: [] };
    at.values.push(p.value);
    byTime.set(Date.parse(p.time), at);
  }
  return [...byTime.entries()].sort(([a], [b]) => a - b).map(([, v]) => ({ time: v.time, value: sum(v.values) }));
}

/** `all` less the drawn series at each of its times (a drawn series without a point there had none). */
function lessPoints(all: readonly Point[], drawn: readonly (readonly Point[])[]): Point[] {
  const drawnSum = new Map(sumPoints(drawn).map((p) => [Date.parse(p.time), p.value ?? 0]));
  return all.map((p) => ({ time: p.time, value: p.value === null ? null : clean(p.value - (drawnSum.get(Date.parse(p.time)) ?? 0)) }));
}

/** Float subtraction of whole counts leaves dust (3e-12, −1e-9): round it away, never below 0. */
function clean(v: number): number {
  return Math.max(0, Math.round(v * 1e6) / 1e6);
}
