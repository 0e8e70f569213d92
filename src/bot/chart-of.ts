// QueryAnswer → Charts: a line chart for every figure with a series over time (one line per split
// row, or per compared item), bars for a breakdown that has no series to draw. Titles, units and
// captions are worded here; src/charts/ (or a platform's native chart) only draws them.
import { figureInfo, type MetricUnit } from "../queries/catalog.ts";
import type { MetricResult, QueryAnswer } from "../queries/result.ts";
import { additive, limitBars, limitLines, notSummed, type Limited } from "./chart-limit.ts";
import { chartWindow, grainWords } from "./chart-window.ts";
import { dimensionLabel } from "./format.ts";
import type { Chart, Point } from "./message.ts";

/** More pictures than this make an answer a gallery: the first figures' charts, in figure order. */
export const MAX_CHARTS_PER_ANSWER = 4;

type Line = Chart["series"][number];

export function chartsOf(a: QueryAnswer): Chart[] {
  const multiResource = new Set(a.results.map((r) => r.resource.id)).size > 1;
  const ctx: Context = { answer: a, multiResource };
  return groups(a.results).flatMap((g) => (g.length > 1 ? compared(g, ctx) : single(g[0]!, ctx))).slice(0, MAX_CHARTS_PER_ANSWER);
}

interface Context {
  readonly answer: QueryAnswer;
  readonly multiResource: boolean;
}

/** Compared items of one ask ("gpt-4o vs gpt-4o-mini") are lines of one chart; everything else stands alone. */
function groups(results: readonly MetricResult[]): MetricResult[][] {
  const out = new Map<string, MetricResult[]>();
  results.forEach((r, i) => {
    const key = r.item && r.splitBy === undefined && !r.error ? [r.resource.id, r.metric, r.aggregation, r.figure ?? "", r.item.dimension, askLabel(r)].join("|") : String(i);
    out.set(key, [...(out.get(key) ?? []), r]);
  });
  return [...out.values()];
}

function single(r: MetricResult, ctx: Context): Chart[] {
  if (r.error) return [];
  const by = r.splitBy;
  const drawn = pointsOf(r);
  const rows: Line[] = by === undefined ? [{ label: figureLabel(r, ctx), points: r.points }] : r.series.map((s) => ({ label: s.dimensions[by] ?? "", points: s.points }));
  const split = by === undefined ? "" : ` by ${dimensionLabel(by)}`;
  if (overTime(rows)) {
    const limited = limitLines(rows, { all: r.points, hidden: r.hiddenSeries, aggregation: r.aggregation });
    return [line(`${drawn.title(figureLabel(r, ctx))}${split}`, drawn.unit, r, ctx, limited)];
  }
  // bars all at 0 (no 429s anywhere) or without data say nothing the figure doesn't
  if (by === undefined || !r.series.some((s) => s.value !== null && s.value !== 0)) return [];
  // a breakdown without a series to draw (one point per row): its figures, as the table ranks them
  const kind = r.figure === undefined ? undefined : figureInfo(r.figure).kind;
  const bars = limitBars(r.series.map((s) => ({ label: s.dimensions[by] ?? "", value: s.value })), {
    total: r.value,
    hidden: r.hiddenSeries,
    additive: additive(r.aggregation) && (kind === undefined || kind === "per-minute"),
    what: kind === "share" ? "shares" : kind === "peak-minute" ? "peaks" : notSummed(r.aggregation),
  });
  return [{ kind: "bar", title: `${figureLabel(r, ctx)}${split}`, unit: r.unit, caption: caption(r, ctx, bars.note), zone: ctx.answer.zone, series: [], bars: bars.items }];
}

function compared(results: readonly MetricResult[], ctx: Context): Chart[] {
  const first = results[0]!;
  const rows = results.map((r) => ({ label: r.item?.value ?? r.label, points: r.points }));
  if (!overTime(rows)) return results.flatMap((r) => single(r, ctx));
  const label = `${askLabel(first)}${ctx.multiResource ? ` [${first.resource.name}]` : ""}`;
  const drawn = pointsOf(first);
  return [line(`${drawn.title(label)} — ${rows.map((r) => r.label).join(" vs ")}`, drawn.unit, first, ctx, limitLines(rows, { all: [], hidden: 0, aggregation: first.aggregation }))];
}

function line(title: string, unit: MetricUnit, r: MetricResult, ctx: Context, lines: Limited<Line>): Chart {
  return { kind: "line", title, unit, caption: caption(r, ctx, lines.note), zone: ctx.answer.zone, series: lines.items, bars: [] };
}

/**
 * What the points are. A derived figure's points are those of the metric it is computed from (a
 * share's are its numerator's calls, not the share), so the chart says so and takes their unit.
 */
function pointsOf(r: MetricResult): { readonly title: (label: string) => string; readonly unit: MetricUnit } {
  if (r.figure === undefined) return { title: (l) => l, unit: r.unit };
  const f = figureInfo(r.figure);
  const per = grainWords(r.provenance.interval);
  const counted = f.numerator === undefined ? "counted" : f.numerator.kind === "exact" ? f.numerator.code : f.numerator.label;
  if (f.kind === "share") return { title: (l) => `${l}: ${counted} calls per ${per}`, unit: "Count" };
  return { title: (l) => `${l}: ${r.displayName} per ${per}`, unit: r.unit };
}

/** A compared item's label is "<ask> — <item>": the ask's part names the chart. */
function askLabel(r: MetricResult): string {
  const suffix = r.item ? ` — ${r.item.value}` : "";
  return suffix && r.label.endsWith(suffix) ? r.label.slice(0, -suffix.length) : r.label;
}

function figureLabel(r: MetricResult, ctx: Context): string {
  return `${r.label}${ctx.multiResource ? ` [${r.resource.name}]` : ""}`;
}

/** "Sun 29 Nov 10:00–11:00 Europe/Berlin · AzureOpenAITimeToResponse · Average · PT1M". */
function caption(r: MetricResult, ctx: Context, note: string | undefined): string {
  const w = ctx.answer.window;
  return [chartWindow(w.start, w.end, ctx.answer.zone), r.provenance.metric, r.provenance.aggregation, r.provenance.interval, ...(note ? [note] : [])].join(" · ");
}

/** Worth a line: at least two times with data in some series (one point is a bar, none is nothing). */
function overTime(rows: readonly { readonly points: readonly Point[] }[]): boolean {
  return new Set(rows.flatMap((r) => r.points.filter((p) => p.value !== null).map((p) => p.time))).size >= 2;
}
