// Derived figures from points: a share of calls, a per-minute rate, the peak minute. The catalog
// (FIGURES) says which figure is which; these functions are the one way each is computed.
import { pointValue, windowValue, type RawPoint } from "./aggregate.ts";
import type { Aggregation } from "./catalog.ts";

export interface Derived {
  readonly value: number | null;
  readonly parts?: { readonly numerator: number; readonly denominator: number };
  readonly peakAt?: Date;
}

/** numerator ÷ denominator × 100 from the calls' totals; no calls at all is no data, calls without a match 0 %. */
export function share(numerator: readonly RawPoint[], denominator: readonly RawPoint[]): Derived {
  const den = windowValue(denominator, "Total").value;
  if (den === null || den === 0) return { value: null };
  const num = windowValue(numerator, "Total").value ?? 0;
  return { value: (num / den) * 100, parts: { numerator: num, denominator: den } };
}

/** The largest per-minute value and the minute it happened in (the first, if several tie). */
export function peakMinute(points: readonly RawPoint[], aggregation: Aggregation): Derived {
  let best: { value: number; at: Date } | undefined;
  for (const p of points) {
    const v = aggregation === "Average" ? windowValue([p], "Average").value : pointValue(p, aggregation);
    if (v !== null && (best === undefined || v > best.value)) best = { value: v, at: p.time };
  }
  return best ? { value: best.value, peakAt: best.at } : { value: null };
}

/** A window total as a rate per minute of the covered window. */
export function perMinute(total: number | null, minutes: number): number | null {
  return total === null || minutes <= 0 ? null : total / minutes;
}
