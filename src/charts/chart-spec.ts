// Chart → Vega-Lite spec. Everything that decides what the picture looks like is here, as data in
// the spec (so a golden copy of it pins the picture): fixed size, the font, the palette, explicit
// label limits and padding (vega measures text with canvas when it can and estimates 0.8 em per
// character without: vega#2940; fixed limits keep the layout the same either way), time ticks
// chosen and labelled in the chart's zone (time-ticks.ts), and the caption as subtitle lines.
import type { TopLevelSpec } from "vega-lite";
import type { Chart } from "../bot/message.ts";
import { BACKGROUND, BAR_COLOUR, GRID_COLOUR, MUTED_TEXT_COLOUR, OTHER_COLOUR, SERIES_COLOURS, TEXT_COLOUR } from "./palette.ts";
import { timeTicks } from "./time-ticks.ts";
import { NO_DATA, UNIT_FORMAT, valueAxis } from "./unit-format.ts";

/** The view in CSS pixels, title and legend included; render-png.ts scales it up for the PNG. */
export const CHART_WIDTH = 720;
export const CHART_HEIGHT = 360;
export const FONT = "DejaVu Sans";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
/** Longest caption line, in characters: the rest wraps at a " · ". */
const CAPTION_LINE = 96;
const CAPTION_LINES = 3;
const TITLE_CHARS = 80;
const LABEL_LIMIT = 200;
/** The summed rest ("other (5)") is grey and dashed, never mistaken for a deployment. */
const OTHER = /^other \(\d+\)$/;

const CONFIG = {
  font: FONT,
  background: BACKGROUND,
  view: { stroke: null },
  title: { fontSize: 15, fontWeight: "bold", color: TEXT_COLOUR, subtitleFontSize: 11, subtitleColor: MUTED_TEXT_COLOUR, subtitlePadding: 4, anchor: "start", offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 11, labelColor: TEXT_COLOUR, titleColor: TEXT_COLOUR, gridColor: GRID_COLOUR, domainColor: MUTED_TEXT_COLOUR, tickColor: MUTED_TEXT_COLOUR, labelPadding: 4, titlePadding: 8, labelLimit: LABEL_LIMIT, labelOverlap: false },
  legend: { labelFontSize: 11, labelColor: TEXT_COLOUR, labelLimit: LABEL_LIMIT, symbolType: "stroke", symbolStrokeWidth: 3, symbolSize: 160, rowPadding: 4, padding: 4, offset: 12 },
} as const;

export function chartSpec(chart: Chart): TopLevelSpec {
  return chart.kind === "line" ? lineSpec(chart) : barSpec(chart);
}

function frame(chart: Chart) {
  return {
    $schema: SCHEMA,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    autosize: { type: "fit", contains: "padding" },
    padding: 12,
    title: { text: clip(chart.title, TITLE_CHARS), subtitle: captionLines(chart.caption) },
    config: CONFIG,
  } as const;
}

function lineSpec(chart: Chart): TopLevelSpec {
  const unit = UNIT_FORMAT[chart.unit];
  const labels = unique(chart.series.map((s) => s.label));
  const values = chart.series.flatMap((s, i) =>
    s.points.map((p, j) => ({
      t: Date.parse(p.time),
      v: p.value,
      s: labels[i]!,
      // a point with no data either side draws no line: it is drawn as a dot
      ...(p.value !== null && (s.points[j - 1]?.value ?? null) === null && (s.points[j + 1]?.value ?? null) === null ? { lone: true } : {}),
    })),
  );
  const times = values.map((d) => d.t).filter((t) => Number.isFinite(t));
  const present = values.flatMap((d) => (d.v === null ? [] : [d.v]));
  const from = Math.min(...times);
  const to = Math.max(...times);
  const ticks = timeTicks(from, to, chart.zone);
  const colours = coloursOf(labels);
  const legend = labels.length > 1 ? { title: null, orient: "right" } as const : null;
  const lone = values.some((d) => "lone" in d);
  return {
    ...frame(chart),
    data: { values },
    encoding: {
      x: {
        field: "t",
        type: "temporal",
        scale: { type: "utc", domain: from === to ? [from - 1_800_000, to + 1_800_000] : [from, to], nice: false },
        axis: { title: null, values: ticks.map((t) => t.at), labelExpr: `${JSON.stringify(Object.fromEntries(ticks.map((t) => [String(t.at), t.label])))}[time(datum.value)]`, grid: true },
      },
      y: { field: "v", type: "quantitative", scale: { zero: unit.lineZero, nice: true, ...flat(present) }, axis: { ...valueAxis(unit, Math.max(0, ...present.map(Math.abs))), minExtent: 48 } },
      color: { field: "s", type: "nominal", scale: { domain: labels, range: colours }, legend },
      strokeDash: { field: "s", type: "nominal", scale: { domain: labels, range: labels.map((l) => (OTHER.test(l) ? [5, 3] : [1, 0])) }, legend },
    },
    layer: [
      { mark: { type: "line", strokeWidth: 2, interpolate: "linear", invalid: "break-paths-show-domains" } },
      ...(lone ? [{ transform: [{ filter: "datum.lone === true" }], mark: { type: "point" as const, filled: true, size: 36, opacity: 1 } }] : []),
    ],
  };
}

function barSpec(chart: Chart): TopLevelSpec {
  const unit = UNIT_FORMAT[chart.unit];
  const labels = unique(chart.bars.map((b) => b.label));
  const values = chart.bars.map((b, i) => ({ k: labels[i]!, v: b.value, x: b.value ?? 0, text: b.value === null ? NO_DATA : unit.text(b.value), other: OTHER.test(b.label) }));
  const max = Math.max(0, ...values.map((d) => d.x));
  return {
    ...frame(chart),
    data: { values },
    encoding: {
      y: { field: "k", type: "nominal", sort: null, scale: { domain: labels, paddingInner: 0.25 }, axis: { title: null, labelLimit: LABEL_LIMIT } },
    },
    layer: [
      {
        mark: { type: "bar", size: 24 },
        encoding: {
          x: { field: "x", type: "quantitative", scale: { zero: true, domain: [0, max === 0 ? 1 : max * 1.2], nice: true }, axis: valueAxis(unit, max) },
          color: { condition: { test: "datum.other", value: OTHER_COLOUR }, value: BAR_COLOUR },
        },
      },
      {
        mark: { type: "text", align: "left", baseline: "middle", dx: 4, fontSize: 11, color: TEXT_COLOUR },
        encoding: { x: { field: "x", type: "quantitative" }, text: { field: "text" } },
      },
    ],
  };
}

/** Every value the same (all 0: no 429s at all) is a domain of one number: give it room, 0 at the bottom. */
function flat(values: readonly number[]): { domain?: [number, number] } {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (values.length === 0 || lo !== hi) return {};
  return { domain: hi > 0 ? [0, hi * 2] : hi < 0 ? [hi * 2, 0] : [0, 1] };
}

/** Okabe–Ito in order; "other" grey. */
function coloursOf(labels: readonly string[]): string[] {
  let next = 0;
  return labels.map((l) => (OTHER.test(l) ? OTHER_COLOUR : SERIES_COLOURS[next++ % SERIES_COLOURS.length]!));
}

/** Two series of one name would share a colour: the second is "name (2)". */
function unique(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l} (${n})`;
  });
}

/** The caption's " · " parts, a line each until CAPTION_LINE characters; at most CAPTION_LINES lines. */
function captionLines(caption: string): string[] {
  const lines: string[] = [];
  for (const part of caption.split(" · ")) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 3 + part.length <= CAPTION_LINE) lines[lines.length - 1] = `${last} · ${part}`;
    else lines.push(part);
  }
  return lines.length <= CAPTION_LINES ? lines.map((l) => clip(l, CAPTION_LINE)) : [...lines.slice(0, CAPTION_LINES - 1), clip(lines.slice(CAPTION_LINES - 1).join(" · "), CAPTION_LINE)];
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
