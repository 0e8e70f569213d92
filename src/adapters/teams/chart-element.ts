// A Chart as a native Adaptive Card chart element, which Teams draws itself: Chart.Line for lines
// over time, Chart.HorizontalBar for a breakdown (deployment names read better across than under
// a column). Property names as documented on "Charts in Adaptive Cards"
// (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/charts-in-adaptive-cards,
// MicrosoftDocs/msteams-docs msteams-platform/task-modules-and-cards/cards/charts-in-adaptive-cards.md):
//   Chart.Line          { type, title, xAxisTitle, yAxisTitle, colorSet, data: [{ legend, color, values: [{ x, y }] }], fallback }
//   Chart.HorizontalBar { type, title, xAxisTitle, yAxisTitle, color, data: [{ x, y }], fallback }
// Colours are the documented named ones closest to the Okabe–Ito palette the PNG uses, "other" is
// neutral grey. A point without data is left out, never drawn as 0. Clients without chart
// support render `fallback`: the PNG as a data URI when one was ready in time, else the sparkline.
// Under the chart, a small line gives its caption (the window and the query).
import { chartBuckets, stepWords, type Buckets } from "../../bot/chart-buckets.ts";
import type { Chart } from "../../bot/message.ts";
import { sparkline } from "../../bot/sparkline.ts";
import { UNIT_FORMAT } from "../../charts/unit-format.ts";

type Element = Record<string, unknown>;

/** How much of the charts a card can afford, richest first; the card renderer steps down these before it cuts any figure. */
export interface ChartLevel {
  /** Columns along the time axis per line. */
  readonly points: number;
  /** Whether the fallback may be the PNG (a data URI costs most of the card's bytes). */
  readonly pictures: boolean;
}

/** Halving the points keeps a picture for older clients before it is given up; then the points step down alone. */
export const CHART_LEVELS: readonly ChartLevel[] = [
  { points: 60, pictures: true },
  { points: 30, pictures: true },
  { points: 60, pictures: false },
  { points: 30, pictures: false },
  { points: 15, pictures: false },
];

/** PNG data URIs by chart index, rendered before the card (card-activity.ts). */
export type ChartPictures = ReadonlyMap<number, string>;
export const NO_PICTURES: ChartPictures = new Map();

/** The card's budget steps with chart levels woven in: every chart level first, then the budget steps that keep all figures with the leanest chart, then the charts dropped before any figure is. */
export function withChartLevels<B extends { readonly figures: number }>(budgets: readonly B[], charts: readonly Chart[]): [B, ChartLevel | undefined][] {
  const full = budgets[0];
  if (charts.length === 0 || full === undefined) return budgets.map((b) => [b, undefined]);
  const leanest = CHART_LEVELS[CHART_LEVELS.length - 1];
  const allFigures = budgets.filter((b) => b.figures >= full.figures);
  return [...CHART_LEVELS.map((l): [B, ChartLevel] => [full, l]), ...allFigures.slice(1).map((b): [B, ChartLevel | undefined] => [b, leanest]), ...budgets.map((b): [B, undefined] => [b, undefined])];
}

/** Each chart as its element and caption line; nothing at all without a level (the budget dropped them). */
export function chartElements(charts: readonly Chart[], level: ChartLevel | undefined, pictures: ChartPictures): Element[] {
  if (level === undefined) return [];
  return charts.flatMap((c, i) => {
    const element = c.kind === "line" ? lineChart(c, level.points) : barChart(c);
    if (element === undefined) return [];
    const picture = level.pictures ? pictures.get(i) : undefined;
    return [{ ...element, fallback: picture === undefined ? textFallback(c) : imageFallback(c, picture) }, caption(c)];
  });
}

/** Named colours of the schema, in the order of the PNG's Okabe–Ito palette (blue, orange, bluish green, vermillion, sky blue, reddish purple, yellow, black). */
const SERIES_COLOURS = ["categoricalBlue", "categoricalMarigold", "categoricalTeal", "categoricalRed", "categoricalLightBlue", "categoricalPurple", "categoricalLime", "categoricalLavender"] as const;
const OTHER_COLOUR = "neutral";
const TITLE_MAX = 120;

/** The card renderer tries several budgets per card: a chart's columns are worked out once per width. */
const bucketed = new WeakMap<Chart, Map<number, Buckets>>();

function bucketsOf(c: Chart, points: number): Buckets {
  const byWidth = bucketed.get(c) ?? new Map<number, Buckets>();
  bucketed.set(c, byWidth);
  const known = byWidth.get(points);
  if (known) return known;
  const b = chartBuckets(c, points);
  byWidth.set(points, b);
  return b;
}

function lineChart(c: Chart, points: number): Element | undefined {
  const b = bucketsOf(c, points);
  const data = b.series
    .map((s, i) => ({ legend: s.label, color: isOther(s.label) ? OTHER_COLOUR : (SERIES_COLOURS[i % SERIES_COLOURS.length] ?? OTHER_COLOUR), values: s.values.flatMap((y, j) => (y === null ? [] : [{ x: b.labels[j] ?? "", y: round(y) }])) }))
    .filter((s) => s.values.length > 0);
  if (data.length === 0) return undefined;
  const x = `Time (${c.zone})${b.stepMinutes === undefined ? "" : `, ${stepWords(b.stepMinutes)}`}`;
  return { type: "Chart.Line", title: clip(c.title, TITLE_MAX), xAxisTitle: x, yAxisTitle: UNIT_FORMAT[c.unit].title, colorSet: "categorical", data };
}

function barChart(c: Chart): Element | undefined {
  const data = c.bars.flatMap((b) => (b.value === null ? [] : [{ x: b.label, y: round(b.value) }]));
  if (data.length === 0) return undefined;
  return { type: "Chart.HorizontalBar", title: clip(c.title, TITLE_MAX), yAxisTitle: UNIT_FORMAT[c.unit].title, color: SERIES_COLOURS[0], data };
}

function imageFallback(c: Chart, dataUri: string): Element {
  return { type: "Image", url: dataUri, altText: clip(`${c.title}. ${c.caption}`, 1000), size: "Stretch" };
}

/** The chart in text: a sparkline per line, a value per bar (no data said as such). */
function textFallback(c: Chart): Element {
  const unit = UNIT_FORMAT[c.unit];
  const rows = c.kind === "line" ? c.series.map((s) => `${s.label}  ${sparkline(s.points.map((p) => p.value), 32)}`) : c.bars.map((b) => `${b.label}: ${b.value === null ? "no data" : unit.text(b.value)}`);
  return { type: "TextBlock", text: [c.title, ...rows].join("\n\n"), wrap: true, fontType: "Monospace", size: "Small" };
}

function caption(c: Chart): Element {
  return { type: "TextBlock", text: c.caption, wrap: true, isSubtle: true, size: "Small", spacing: "None" };
}

/** "other (3)": the summed rest, drawn grey so it is never read as one deployment. */
function isOther(label: string): boolean {
  return /^other \(\d+\)$/.test(label);
}

/** Two decimals are more than a chart shows and keep the card's bytes for points. */
function round(v: number): number {
  return Math.round(v * 100) / 100;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
