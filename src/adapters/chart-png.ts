// The PNGs of a message's charts, for Slack uploads and Teams card fallbacks, within a time budget:
// a chart that fails to render, renders something that is not a PNG within the platforms' limits
// (≤ 1 MB, ≤ 1024 × 1024 px), or is not ready in time is left out (undefined), and the caller goes
// on with the sparkline. Nothing here throws or waits past the budget, so a picture is never the
// reason an answer is late or lost.
import type { Chart } from "../bot/message.ts";
import type { Logger } from "../log/logger.ts";
import { RendererProcess } from "../charts/renderer-process.ts";

/** Draws one chart as PNG bytes; undefined when it has nothing to draw. */
export type ChartRenderer = (chart: Chart) => Promise<Buffer | undefined>;

/** How the platforms take pictures (and the tests shorten). */
export interface ChartPictureOptions {
  readonly render?: ChartRenderer;
  /** How long the pictures may take, all of them together. */
  readonly budgetMs?: number;
}

/** Teams inline images and our own ceiling for Slack uploads. */
export const PNG_LIMITS = { bytes: 1024 * 1024, side: 1024 } as const;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The process's chart renderer: vega-lite → SVG → sharp in a process of its own (renderer-process.ts),
 * started on the first chart, so the bot neither loads vega and sharp nor keeps libvips' memory.
 */
let renderer: RendererProcess | undefined;
const shared = () => (renderer ??= new RendererProcess());

export const renderChartPng: ChartRenderer = (chart) => shared().render(chart);

/** A PNG redrawn smaller (Teams cards) by the same renderer process; undefined when that failed (logged). */
export const shrinkChartPng = (png: Buffer, size: { readonly width: number; readonly colours: number }): Promise<Buffer | undefined> => shared().shrink(png, size);

/** The renderer process's RSS in bytes as of its last chart; undefined when none was drawn (`npm run soak` reports it). */
export const chartRendererRss = (): number | undefined => renderer?.rss;

/** Kills the renderer process, if one was started (the bot process's stop). */
export async function stopChartPictures(): Promise<void> {
  await renderer?.stop();
}

/** One PNG per chart, in order, or undefined for each that failed, was unusable or late. */
export async function chartPngs(charts: readonly Chart[], render: ChartRenderer, budgetMs: number, log: Logger): Promise<(Buffer | undefined)[]> {
  if (charts.length === 0) return [];
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => { resolve("late"); }, budgetMs)));
  try {
    return await Promise.all(charts.map(async (chart) => {
      const drawn = safely(() => render(chart)).then((r) => usable(r, chart, log));
      const first = await Promise.race([drawn, late]);
      if (first === "late") log.warn({ chart: chart.title, budgetMs }, "chart picture not ready in time; the sparkline stands in");
      return first === "late" ? undefined : first;
    }));
  } finally {
    clearTimeout(timer);
  }
}

/** PNG width and height from its IHDR chunk (bytes 16–23), which every PNG starts with. */
export function pngSize(png: Buffer): { width: number; height: number } | undefined {
  if (png.length < 24 || !png.subarray(0, 8).equals(PNG_SIGNATURE) || png.toString("latin1", 12, 16) !== "IHDR") return undefined;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function safely(draw: () => Promise<Buffer | undefined>): Promise<{ png: Buffer | undefined } | { failed: unknown }> {
  try {
    return { png: await draw() };
  } catch (err) {
    return { failed: err };
  }
}

function usable(r: { png: Buffer | undefined } | { failed: unknown }, chart: Chart, log: Logger): Buffer | undefined {
  if ("failed" in r) {
    log.warn({ chart: chart.title, err: r.failed }, "chart picture failed; the sparkline stands in");
    return undefined;
  }
  if (r.png === undefined) return undefined;
  const size = pngSize(r.png);
  if (size === undefined || r.png.length > PNG_LIMITS.bytes || size.width > PNG_LIMITS.side || size.height > PNG_LIMITS.side) {
    log.warn({ chart: chart.title, bytes: r.png.length, ...(size ?? {}) }, "chart picture is not a PNG within 1 MB and 1024 × 1024 px; left out");
    return undefined;
  }
  return r.png;
}
