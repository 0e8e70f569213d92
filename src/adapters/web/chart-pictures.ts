// The PNGs of the charts the playground has shown, served at /playground/charts/<id>.png: each id
// is random (unguessable) and kept for an hour, and only the newest few hundred are kept, so a page
// left open for days holds a bounded amount of memory.
import { randomUUID } from "node:crypto";
import type { Chart } from "../../bot/message.ts";
import type { Logger } from "../../log/logger.ts";

/** Draws one chart as PNG bytes; absent when this build renders no pictures. */
export type DrawChart = (chart: Chart) => Promise<Uint8Array>;

export interface ChartPicture {
  readonly url: string;
  readonly title: string;
  /** What the picture shows, for screen readers and when it cannot load. */
  readonly alt: string;
}

export const CHART_PATH = "/playground/charts";
const KEEP_MS = 3_600_000;
const KEEP_COUNT = 300;

export class ChartPictures {
  private readonly draw: DrawChart | undefined;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly pictures = new Map<string, { readonly png: Uint8Array; readonly until: number }>();

  constructor(draw: DrawChart | undefined, logger: Logger, now: () => number = Date.now) {
    this.draw = draw;
    this.logger = logger;
    this.now = now;
  }

  /** One picture per chart that could be drawn: a chart that fails is left out (the answer still has its sparkline). */
  async add(charts: readonly Chart[]): Promise<ChartPicture[]> {
    const draw = this.draw;
    if (!draw) return [];
    const drawn = await Promise.all(
      charts.map(async (chart) => {
        try {
          const id = randomUUID();
          this.keep(id, await draw(chart));
          return [{ url: `${CHART_PATH}/${id}.png`, title: chart.title, alt: `${chart.title}: ${chart.caption}` }];
        } catch (err) {
          this.logger.warn({ err, chart: chart.title }, "chart not drawn; the answer is shown without it");
          return [];
        }
      }),
    );
    return drawn.flat();
  }

  get(id: string): Uint8Array | undefined {
    const p = this.pictures.get(id);
    if (!p) return undefined;
    if (p.until > this.now()) return p.png;
    this.pictures.delete(id);
    return undefined;
  }

  private keep(id: string, png: Uint8Array): void {
    const now = this.now();
    for (const [k, p] of this.pictures) if (p.until <= now) this.pictures.delete(k);
    this.pictures.set(id, { png, until: now + KEEP_MS });
    // Map keeps insertion order: the first keys are the oldest
    for (const k of this.pictures.keys()) {
      if (this.pictures.size <= KEEP_COUNT) break;
      this.pictures.delete(k);
    }
  }
}
