// The platform-neutral answer the query layer returns; renderers for text, Block Kit and
// Adaptive Cards all read this one shape, and keep the full series for later charts.
import type { Aggregation, Dimension, LegacyInfo, MetricUnit } from "./catalog.ts";
import type { MetricsRequest } from "./plan.ts";
import type { PortalLink } from "./portal-links.ts";
import type { SentAs } from "./sent-as.ts";
import type { BaselineKind, FigureId } from "./question.ts";

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
  /** A derived figure's formula (catalog FIGURES). */
  readonly formula?: string;
  /** How the window's request went when a batch API stood between (sent-as.ts); absent: Metrics - List. */
  readonly sentAs?: SentAs;
}

/** What a figure was compared with. */
export interface BaselineInfo {
  /** The span the previous figure covers (cut to the covered part of the window when data is late). */
  readonly timespan: string;
  readonly kind: BaselineKind;
  /** "the previous hour", "the same time yesterday". */
  readonly label: string;
}

/** How much of the window Azure Monitor has data for yet (metrics arrive minutes late). */
export interface Freshness {
  /** The end of the newest minute with data for the whole resource. */
  readonly dataUntil: string;
  readonly coveredMinutes: number;
  readonly windowMinutes: number;
}

export interface MetricResult {
  readonly label: string;
  readonly metric: string;
  readonly displayName: string;
  readonly figure?: FigureId;
  /** One of several compared items ("gpt-4o vs gpt-4o-mini"): the dimension value this result is for. */
  readonly item?: { readonly dimension: Dimension; readonly value: string };
  /** A share's counts: numerator of denominator calls. */
  readonly parts?: { readonly numerator: number; readonly denominator: number };
  /** A peak minute's start (ISO). */
  readonly peakAt?: string;
  /** What `previous` is the figure of (absent in answers built before baselines existed). */
  readonly baseline?: BaselineInfo;
  readonly freshness?: Freshness;
  /** Said in the answer about this figure (e.g. latency over all calls differs). */
  readonly notes?: readonly string[];
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
  /** The window ends about now (its newest minutes may still be arriving); the verdict judges its last minutes too. */
  readonly live?: boolean;
  readonly previousWindow: { readonly start: string; readonly end: string };
  readonly baseline?: BaselineInfo;
  readonly freshness?: Freshness;
  readonly results: readonly MetricResult[];
  readonly notes: readonly string[];
  readonly requests: readonly MetricsRequest[];
  /** The same charts in the portal's Metrics explorer (absent when the cloud's portal is unknown). */
  readonly links?: readonly PortalLink[];
}

/** Relative change, or null when either side has no data or the base is zero. */
export function change(value: number | null, previous: number | null): number | null {
  if (value === null || previous === null || previous === 0) return null;
  return (value - previous) / previous;
}
