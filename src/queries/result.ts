// The platform-neutral answer the query layer returns; renderers for text, Block Kit and
// Adaptive Cards all read this one shape, and keep the full series for later charts.
import type { Aggregation, Dimension, LegacyInfo, MetricUnit } from "./catalog.ts";
import type { MetricsRequest } from "./plan.ts";

export interface Point {
  readonly time: string;
  readonly value: number | null;
}

export interface SeriesResult {
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number | null;
  readonly previous: number | null;
  readonly points: readonly Point[];
}

/** Where a figure came from, precisely enough to rerun the query by hand. */
export interface Provenance {
  readonly resourceId: string;
  readonly metric: string;
  readonly aggregation: Aggregation;
  /** The grain Azure returned for the current window. */
  readonly interval: string;
  readonly timespan: string;
  readonly previousTimespan: string;
  readonly filter?: string;
  readonly zone: string;
  /** The window in the configured zone, e.g. "2026-11-29 09:00–10:00 Europe/Berlin". */
  readonly localWindow: string;
  /** How the window figure was computed from the points. */
  readonly method: string;
}

export interface MetricResult {
  readonly label: string;
  readonly metric: string;
  readonly displayName: string;
  readonly aggregation: Aggregation;
  readonly unit: MetricUnit;
  readonly legacy?: LegacyInfo;
  readonly resource: { readonly id: string; readonly name: string };
  /** null means Azure returned no data points for this window: never render it as 0. */
  readonly value: number | null;
  readonly previous: number | null;
  readonly points: readonly Point[];
  readonly splitBy?: Dimension;
  /** The breakdown when split (sorted, top N); a single overall series otherwise. */
  readonly series: readonly SeriesResult[];
  /** Split rows left out of `series` ("and N more"). */
  readonly hiddenSeries: number;
  readonly provenance: Provenance;
  /** Azure reported a failure for this metric inside an otherwise successful response. */
  readonly error?: { readonly code: string; readonly message: string };
}

export interface QueryAnswer {
  readonly topic: string;
  readonly zone: string;
  readonly window: { readonly start: string; readonly end: string; readonly label: string };
  readonly previousWindow: { readonly start: string; readonly end: string };
  readonly results: readonly MetricResult[];
  readonly notes: readonly string[];
  readonly requests: readonly MetricsRequest[];
}

/** Relative change, or null when either side has no data or the base is zero. */
export function change(value: number | null, previous: number | null): number | null {
  if (value === null || previous === null || previous === 0) return null;
  return (value - previous) / previous;
}
