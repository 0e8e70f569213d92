// A Question is what callers hand the query layer: already understood and platform-free;
// who asked, and from where, stays with the caller.
import type { Aggregation, Dimension } from "./catalog.ts";

/** Keep only series whose StatusCode matches: an exact code goes into $filter, a class is split and filtered here. */
export type StatusSelector = { readonly kind: "exact"; readonly code: string } | { readonly kind: "class"; readonly prefixes: readonly string[]; readonly label: string };

export interface MetricAsk {
  readonly metric: string;
  readonly aggregation: Aggregation;
  /** What the figure means to a person, e.g. "Rate-limited calls (429)". */
  readonly label: string;
  readonly status?: StatusSelector;
  /** A derived figure of the catalog (success rate, peak tokens per minute…), computed from `metric`. */
  readonly figure?: FigureId;
}

/** Derived figures: each is one catalog entry (catalog.ts FIGURES) with its formula. */
export type FigureId = "success-rate" | "error-rate" | "throttle-rate" | "rpm" | "rpm-peak" | "tpm" | "tpm-peak" | "latency-peak-minute";

/** What a figure is compared with: the equal window before, the same span a day or a week earlier, or another span. */
export type BaselineKind = "previous" | "day-before" | "week-before" | "other";

export interface ClockTime {
  readonly hour: number;
  readonly minute: number;
}

export type WindowSpec =
  | { readonly kind: "relative"; readonly minutes: number }
  | { readonly kind: "today" }
  | { readonly kind: "yesterday" }
  | { readonly kind: "this-week" }
  | { readonly kind: "this-month" }
  /** From a time of day; `daysAgo` 1 for "since 09:00 yesterday". */
  | { readonly kind: "since"; readonly time: ClockTime; readonly daysAgo?: number }
  /** Between two times of day (across midnight when `to` is earlier); `daysAgo` for "yesterday between…". */
  | { readonly kind: "between"; readonly from: ClockTime; readonly to: ClockTime; readonly daysAgo?: number }
  | { readonly kind: "absolute"; readonly start: string; readonly end: string }
  /** The most recent local `weekday` (1 Monday … 7 Sunday; today counts unless `beforeToday`), whole or a part of it: "on monday", "last tuesday morning". */
  | { readonly kind: "weekday"; readonly weekday: number; readonly beforeToday: boolean; readonly part?: DayPart }
  /** A part of a local day: "this morning" (`daysAgo` 0), "yesterday afternoon" (1); without `daysAgo`, the latest that has started. */
  | { readonly kind: "day-part"; readonly part: DayPart; readonly daysAgo?: number };

/** Hours of a local day: a named part (morning 06–12…) or clock times; `to` 24:00 is the day's end, earlier than `from` crosses midnight. */
export interface DayPart {
  readonly name?: string;
  readonly from: ClockTime;
  readonly to: ClockTime;
}

export type Filters = Partial<Record<Dimension, readonly string[]>>;

export interface Question {
  /** Short title of what was asked, e.g. "Latency". */
  readonly topic: string;
  readonly asks: readonly MetricAsk[];
  readonly window: WindowSpec;
  readonly filters: Filters;
  readonly splitBy?: Dimension;
  /** How many split rows to show. */
  readonly top?: number;
  /** Rank split rows from the smallest figure ("fastest", "lowest"); largest first otherwise. */
  readonly order?: "asc" | "desc";
  /** "vs yesterday", "vs last week": the same span shifted, instead of the window's own baseline. */
  readonly baseline?: "day-before" | "week-before";
  /** "spend", "cost": the token asks priced by the configured `prices:` (spend-plan.ts), not shown as tokens alone. */
  readonly estimate?: "spend";
  /**
   * "is anything wrong?", "is gpt-4o down?": the answer leads with a verdict (src/bot/verdict.ts).
   * Asked over every deployment, so "no calls while the others had traffic" can be told from a gap;
   * `focus`: the deployments the person named.
   */
  readonly verdict?: { readonly focus: readonly string[] };
  /** Things the parser decided that the answer should say (e.g. "blocked" was ambiguous). */
  readonly notes: readonly string[];
}

export const DEFAULT_WINDOW: WindowSpec = { kind: "relative", minutes: 60 };
export const DEFAULT_TOP = 5;
