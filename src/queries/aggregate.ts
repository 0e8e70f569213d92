// Window arithmetic on Azure Monitor points. Missing points are missing, never zero:
// an average over a window is Σ(average×count)/Σcount, a total sums, a maximum is the max of maxima.
import type { Aggregation } from "./catalog.ts";

export interface RawPoint {
  readonly time: Date;
  readonly average?: number | undefined;
  readonly minimum?: number | undefined;
  readonly maximum?: number | undefined;
  readonly total?: number | undefined;
  readonly count?: number | undefined;
}

export interface WindowFigure {
  readonly value: number | null;
  /** Averages came without counts, so they can't be weighted: ask Azure for one FULL point instead. */
  readonly needsFull: boolean;
  /** Points that carried the aggregation. */
  readonly points: number;
}

const FIELD = { Total: "total", Average: "average", Maximum: "maximum", Minimum: "minimum", Count: "count" } as const satisfies Record<Aggregation, keyof RawPoint>;

export function pointValue(p: RawPoint, agg: Aggregation): number | null {
  const v = p[FIELD[agg]];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

export function windowValue(points: readonly RawPoint[], agg: Aggregation): WindowFigure {
  const present = points.filter((p) => pointValue(p, agg) !== null);
  if (present.length === 0) return { value: null, needsFull: false, points: 0 };
  switch (agg) {
    case "Total":
    case "Count":
      return { value: sum(present.map((p) => pointValue(p, agg)!)), needsFull: false, points: present.length };
    case "Maximum":
      return { value: Math.max(...present.map((p) => p.maximum!)), needsFull: false, points: present.length };
    case "Minimum":
      return { value: Math.min(...present.map((p) => p.minimum!)), needsFull: false, points: present.length };
    case "Average": {
      if (present.length === 1 && present[0]!.count === undefined) return { value: present[0]!.average!, needsFull: false, points: 1 };
      if (present.some((p) => typeof p.count !== "number")) return { value: null, needsFull: true, points: present.length };
      const n = sum(present.map((p) => p.count!));
      if (n === 0) return { value: null, needsFull: false, points: present.length };
      return { value: sum(present.map((p) => p.average! * p.count!)) / n, needsFull: false, points: present.length };
    }
  }
}

/** Merges several series point by point (e.g. every non-2xx status code of one deployment). */
export function combineSeries(series: readonly (readonly RawPoint[])[]): RawPoint[] {
  if (series.length === 1) return [...series[0]!];
  const byTime = new Map<number, RawPoint[]>();
  for (const s of series) for (const p of s) {
    const list = byTime.get(p.time.getTime()) ?? [];
    list.push(p);
    byTime.set(p.time.getTime(), list);
  }
  return [...byTime.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, ps]) => {
      const counts = ps.map((p) => p.count).filter(isNum);
      const avgs = ps.filter((p) => isNum(p.average));
      const weighted = avgs.every((p) => isNum(p.count)) ? avgs : [];
      const n = sum(weighted.map((p) => p.count!));
      return {
        time: new Date(t),
        total: orUndef(ps.map((p) => p.total).filter(isNum), sum),
        count: counts.length > 0 ? sum(counts) : undefined,
        maximum: orUndef(ps.map((p) => p.maximum).filter(isNum), (v) => Math.max(...v)),
        minimum: orUndef(ps.map((p) => p.minimum).filter(isNum), (v) => Math.min(...v)),
        average: n > 0 ? sum(weighted.map((p) => p.average! * p.count!)) / n : avgs.length === 1 ? avgs[0]!.average : undefined,
      };
    });
}

function isNum(v: number | undefined): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

function orUndef(values: number[], f: (v: number[]) => number): number | undefined {
  return values.length > 0 ? f(values) : undefined;
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
