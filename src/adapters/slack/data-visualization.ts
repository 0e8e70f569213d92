// A Chart as Slack's native chart block (`slack.charts: native`). Shape per
// https://docs.slack.dev/reference/block-kit/blocks/data-visualization-block (changelog 2026-06-16):
//   { type: "data_visualization", title (≤ 50), block_id?, chart: { type: "line" | "bar",
//     series: [{ name, data: [{ label, value }] }] (1–6), axis_config: { categories, x_label?, y_label? } } }
// The per-field limits the page's excerpt cuts off are those a Rust SDK (slack-messaging 0.7,
// which links each to that page) validates: a series name ≤ 20 characters and 1–20 points, a
// category ≤ 20, axis labels ≤ 50; "at most two such blocks a message" is from slack-morphism [3P].
// @slack/types 3.2 has no type for it, so it is a plain object sent as a Block. A chart that can't
// be shown within these limits without changing what it says (more than 6 lines, names that clash
// once cut) gets no block: the sender uploads its PNG instead, as it does when Slack refuses one.
// Lines are averaged into at most 20 columns (chart-buckets.ts); a column without data is left
// out of that series, never sent as 0 (whether Slack accepts a series with a gap is unverified: it
// answers invalid_blocks, and the sender falls back to the PNG).
import type { Block } from "@slack/types";
import { chartBuckets, stepWords } from "../../bot/chart-buckets.ts";
import type { Chart } from "../../bot/message.ts";
import { UNIT_FORMAT } from "../../charts/unit-format.ts";

export const SLACK_CHART_LIMITS = { title: 50, series: 6, seriesName: 20, points: 20, category: 20, axisLabel: 50, perMessage: 2 } as const;

export interface DataVisualizationBlock extends Block {
  readonly type: "data_visualization";
  readonly title: string;
  readonly block_id: string;
  readonly chart: {
    readonly type: "line" | "bar";
    readonly series: readonly { readonly name: string; readonly data: readonly { readonly label: string; readonly value: number }[] }[];
    readonly axis_config: { readonly categories: readonly string[]; readonly x_label?: string; readonly y_label: string };
  };
}

export const DATA_VISUALIZATION = "data_visualization";

/** The block for chart `index` of a message, or undefined when it can't be one within Slack's limits. */
export function dataVisualizationBlock(c: Chart, index: number): DataVisualizationBlock | undefined {
  const chart = c.kind === "line" ? line(c) : bar(c);
  if (chart === undefined) return undefined;
  return { type: DATA_VISUALIZATION, block_id: `aoai_chart_${String(index)}`, title: clip(c.title, SLACK_CHART_LIMITS.title), chart };
}

export function isDataVisualization(b: { readonly type: string }): boolean {
  return b.type === DATA_VISUALIZATION;
}

function line(c: Chart): DataVisualizationBlock["chart"] | undefined {
  if (c.series.length === 0 || c.series.length > SLACK_CHART_LIMITS.series) return undefined;
  const b = chartBuckets(c, SLACK_CHART_LIMITS.points);
  const categories = b.labels.map((l) => clip(l, SLACK_CHART_LIMITS.category));
  const names = unique(b.series.map((s) => clip(s.label, SLACK_CHART_LIMITS.seriesName)));
  if (names === undefined || unique(categories) === undefined) return undefined;
  const series = b.series
    .map((s, i) => ({ name: names[i] ?? "", data: s.values.flatMap((v, j) => (v === null ? [] : [{ label: categories[j] ?? "", value: round(v) }])) }))
    .filter((s) => s.data.length > 0);
  if (series.length === 0) return undefined;
  const x = `Time (${c.zone})${b.stepMinutes === undefined ? "" : `, ${stepWords(b.stepMinutes)}`}`;
  return { type: "line", series, axis_config: { categories, x_label: clip(x, SLACK_CHART_LIMITS.axisLabel), y_label: clip(UNIT_FORMAT[c.unit].title, SLACK_CHART_LIMITS.axisLabel) } };
}

/** One series of bars; a bar without data is left out (its category too), never drawn as 0. */
function bar(c: Chart): DataVisualizationBlock["chart"] | undefined {
  const bars = c.bars.flatMap((b) => (b.value === null ? [] : [{ label: clip(b.label, SLACK_CHART_LIMITS.category), value: round(b.value) }]));
  if (bars.length === 0 || bars.length > SLACK_CHART_LIMITS.points) return undefined;
  const categories = unique(bars.map((b) => b.label));
  if (categories === undefined) return undefined;
  const unit = clip(UNIT_FORMAT[c.unit].title, SLACK_CHART_LIMITS.seriesName);
  return { type: "bar", series: [{ name: unit, data: bars }], axis_config: { categories, y_label: clip(UNIT_FORMAT[c.unit].title, SLACK_CHART_LIMITS.axisLabel) } };
}

/** The names as they are, or undefined when two are the same (Slack wants unique series and categories). */
function unique(names: readonly string[]): readonly string[] | undefined {
  return new Set(names).size === names.length ? names : undefined;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
