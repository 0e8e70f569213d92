// The PNGs of the charts the playground has shown, served at /playground/charts/<id>.png as Slack
// shows an uploaded picture beside the answer: each drawn once, within a budget (a chart that fails
// or is late is left out and the sparkline stands in), under a random (unguessable) id kept for an
// hour, and only the newest few hundred, so a page left open for days holds bounded memory.
import { randomUUID } from "node:crypto";
import type { Chart } from "../../bot/message.ts";
import type { Logger } from "../../log/logger.ts";
import { chartPngs, type ChartRenderer } from "../chart-png.ts";

export interface ChartPicture {
  readonly url: string;
  readonly title: string;
  /** What the picture shows, for screen readers and when it cannot load. */
  readonly alt: string;
}

/** A message's charts once drawn: the pictures to show, and each chart's PNG for the platform renderers. */
export interface DrawnCharts {
  readonly pictures: readonly ChartPicture[];
  readonly png: ChartRenderer;
}

export const CHART_PATH = "/playground/charts";
/** The page waits for its answer anyway; a picture may add this much (vega renders one in ~30 ms). */
export const PLAYGROUND_CHART_BUDGET_MS = 3_000;
const KEEP_MS = 3_600_000;
const KEEP_COUNT = 300;

export interface ChartPicturesOptions {
  /** Draws one chart as PNG; absent, answers are shown without pictures. */
  readonly render?: ChartRenderer;
  readonly budgetMs?: number;
  readonly now?: () => number;
}

export class ChartPictures {
  private readonly options: ChartPicturesOptions;
  private readonly logger: Logger;
  private readonly kept = new Map<string, { readonly png: Buffer; readonly until: number }>();

  constructor(options: ChartPicturesOptions, logger: Logger) {
    this.options = options;
    this.logger = logger;
  }

  async draw(charts: readonly Chart[]): Promise<DrawnCharts> {
    const render = this.options.render;
    if (render === undefined || charts.length === 0) return { pictures: [], png: () => Promise.resolve(undefined) };
    const pngs = await chartPngs(charts, render, this.options.budgetMs ?? PLAYGROUND_CHART_BUDGET_MS, this.logger);
    const pictures = charts.flatMap((chart, i) => {
      const png = pngs[i];
      if (png === undefined) return [];
      const id = randomUUID();
      this.keep(id, png);
      return [{ url: `${CHART_PATH}/${id}.png`, title: chart.title, alt: `${chart.title}. ${chart.caption}` }];
    });
    return { pictures, png: (chart) => Promise.resolve(pngs[charts.indexOf(chart)]) };
  }

  get(id: string): Buffer | undefined {
    const p = this.kept.get(id);
    if (!p) return undefined;
    if (p.until > this.now()) return p.png;
    this.kept.delete(id);
    return undefined;
  }

  private keep(id: string, png: Buffer): void {
    const now = this.now();
    for (const [k, p] of this.kept) if (p.until <= now) this.kept.delete(k);
    this.kept.set(id, { png, until: now + KEEP_MS });
    // a Map iterates in insertion order: the first keys are the oldest
    for (const k of this.kept.keys()) {
      if (this.kept.size <= KEEP_COUNT) break;
      this.kept.delete(k);
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
