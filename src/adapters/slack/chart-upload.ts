// An answer's charts in Slack, as `slack.charts` says: PNGs uploaded beside the posted answer, in the
// same channel or thread (filesUploadV2, as csv-upload.ts does; files:write), or data_visualization
// blocks in the message itself (native), with the PNG for a chart Slack refuses or that does not fit
// the block's limits; or nothing (off: the sparkline stays the chart). The sender posts the answer
// first: rendering happens after, within a budget, and a picture that fails, is late or is refused
// costs only itself (logged), never the answer or Slack's acknowledgement (sent before any of this).
import type { WebClient } from "@slack/web-api";
import type { Chart } from "../../bot/message.ts";
import type { Logger } from "../../log/logger.ts";
import { chartPngs, renderChartPng, type ChartPictureOptions } from "../chart-png.ts";
import { DEFAULT_SLACK_CHART_MODE, type SlackChartMode } from "./chart-mode.ts";
import type { UploadPlace } from "./csv-upload.ts";
import { dataVisualizationBlock, SLACK_CHART_LIMITS, type DataVisualizationBlock } from "./data-visualization.ts";
import { SLACK_LIMITS } from "./render-blockkit.ts";

/** The answer is already in the channel: pictures may take longer than in a Teams card. */
export const SLACK_CHART_BUDGET_MS = 5_000;
/** Slack refuses alt text longer than this (files.getUploadURLExternal: alt_txt_too_large). */
const ALT_TEXT_MAX = 1000;

export interface SlackChartOptions extends ChartPictureOptions {
  readonly mode?: SlackChartMode;
}

/** What a message carries for its charts (render-blockkit.ts): the charts, and where in its blocks native ones go. */
export interface ChartedMessage {
  readonly blocks: readonly unknown[];
  readonly charts?: readonly Chart[];
  /** Index in `blocks` right after the figures. */
  readonly chartsAt?: number;
}

/** Native chart blocks to splice into a message, and which of its charts they show. */
export interface NativeCharts {
  readonly at: number;
  readonly blocks: readonly DataVisualizationBlock[];
  readonly shown: ReadonlySet<number>;
}

export class SlackCharts {
  readonly mode: SlackChartMode;
  private readonly options: ChartPictureOptions;
  private readonly log: Logger;

  constructor(options: SlackChartOptions, log: Logger) {
    this.mode = options.mode ?? DEFAULT_SLACK_CHART_MODE;
    this.options = options;
    this.log = log;
  }

  /** In native mode, a block for each chart that fits (at most two a message, within 50 blocks). */
  native(m: ChartedMessage): NativeCharts | undefined {
    const charts = m.charts ?? [];
    if (this.mode !== "native" || charts.length === 0) return undefined;
    const room = Math.min(SLACK_CHART_LIMITS.perMessage, SLACK_LIMITS.blocks - m.blocks.length);
    const fitting = charts.flatMap((c, i) => {
      const block = dataVisualizationBlock(c, i);
      return block === undefined ? [] : [{ i, block }];
    }).slice(0, Math.max(0, room));
    if (fitting.length === 0) return undefined;
    return { at: Math.min(m.chartsAt ?? m.blocks.length, m.blocks.length), blocks: fitting.map((f) => f.block), shown: new Set(fitting.map((f) => f.i)) };
  }

  /** The PNGs of the charts not shown natively (none when charts are off), rendered within the budget; each undefined that failed or was late. */
  async pictures(charts: readonly Chart[], shown: ReadonlySet<number>): Promise<{ chart: Chart; index: number; png: Buffer }[]> {
    if (this.mode === "off") return [];
    const wanted = charts.map((chart, index) => ({ chart, index })).filter((c) => !shown.has(c.index));
    const pngs = await chartPngs(wanted.map((w) => w.chart), this.options.render ?? renderChartPng, this.options.budgetMs ?? SLACK_CHART_BUDGET_MS, this.log);
    return wanted.flatMap((w, i) => {
      const png = pngs[i];
      return png === undefined ? [] : [{ ...w, png }];
    });
  }
}

export async function uploadChartPng(client: WebClient, place: UploadPlace, chart: Chart, index: number, png: Buffer): Promise<void> {
  const file = { file: png, filename: chartFilename(chart, index), title: chart.title, alt_text: chartAltText(chart) };
  // the SDK types a thread reply and a channel post as two shapes
  await (place.threadTs === undefined ? client.filesUploadV2({ ...file, channel_id: place.channel }) : client.filesUploadV2({ ...file, channel_id: place.channel, thread_ts: place.threadTs }));
}

/** What a screen reader says for the picture: its title and caption (the window and the query). */
export function chartAltText(c: Chart): string {
  const alt = `${c.title}. ${c.caption}`;
  return alt.length <= ALT_TEXT_MAX ? alt : `${alt.slice(0, ALT_TEXT_MAX - 1)}…`;
}

/** "time-to-response-by-deployment.png": the title as a file name, the index when it has no letters. */
export function chartFilename(c: Chart, index: number): string {
  const slug = c.title.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60).replace(/-+$/, "");
  return `${slug || `chart-${String(index + 1)}`}.png`;
}
