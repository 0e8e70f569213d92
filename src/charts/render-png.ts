// Chart → PNG in-process: vega-lite → vega View (no renderer: nothing drawn twice) → SVG → sharp
// (librsvg, fonts from fontconfig) → PNG. A picture is never why an answer is late or lost: a
// render that throws or takes longer than its budget gives undefined, logged, and the caller sends
// the answer with its sparkline. Same chart, same bytes (no time or software chunks in the PNG).
import sharp from "sharp";
import { logger as vegaLogger, parse, View, Warn, type Loader, type LoggerInterface } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { Chart } from "../bot/message.ts";
import type { Logger } from "../log/logger.ts";
import { sharedLogger } from "../log/pino-logger.ts";
import { CHART_HEIGHT, CHART_WIDTH, chartSpec } from "./chart-spec.ts";
import { drawable, RENDER_BUDGET_MS } from "./render-limits.ts";
import type { ShrinkSize } from "./renderer-protocol.ts";

export { RENDER_BUDGET_MS };

// No libvips operation cache: every chart is a new SVG, so a cached operation is never reused, and
// the cache (50 MiB / 100 operations by default) only held native memory. Measured in a 1.5-minute
// soak: RSS 520 → 586 MiB with it, 502 → 555 without; with MALLOC_ARENA_MAX=2 as well (Dockerfile)
// 442 → 449. (sharp.concurrency() is already 1 on glibc.) Applies to card-activity's resize too.
sharp.cache(false);

/** 720×360 drawn at 1.4×: 1008×504 px, inside Teams' 1024×1024, with 15 px text. */
export const PIXEL_SCALE = 1.4;
export const PNG_WIDTH = Math.round(CHART_WIDTH * PIXEL_SCALE);
export const PNG_HEIGHT = Math.round(CHART_HEIGHT * PIXEL_SCALE);

export interface RenderOptions {
  /** Give up after this long (default RENDER_BUDGET_MS). */
  readonly budgetMs?: number;
  readonly logger?: Logger;
}

/** The chart as a PNG, or undefined when it has nothing to draw or could not be drawn in time (logged). */
export async function renderChartPng(chart: Chart, options: RenderOptions = {}): Promise<Buffer | undefined> {
  if (!drawable(chart)) return undefined;
  return withinBudget(chart.title, options, async (log) => png(await svg(chartSpec(chart), log)));
}

/** The chart as SVG text (for pages that show it as is), or undefined like renderChartPng. */
export async function renderChartSvg(chart: Chart, options: RenderOptions = {}): Promise<string | undefined> {
  if (!drawable(chart)) return undefined;
  return withinBudget(chart.title, options, (log) => svg(chartSpec(chart), log));
}

/** Any Vega-Lite spec as a PNG, under the same budget and fallback. */
export async function renderSpecPng(spec: TopLevelSpec, options: RenderOptions = {}): Promise<Buffer | undefined> {
  return withinBudget(typeof spec.title === "string" ? spec.title : "chart", options, async (log) => png(await svg(spec, log)));
}

async function svg(spec: TopLevelSpec, log: Logger): Promise<string> {
  const logger = vegaLog(log);
  const view = new View(parse(compile(spec, { logger }).spec), { renderer: "none", loader: NO_LOADS, logger, logLevel: Warn });
  try {
    return await view.toSVG(PIXEL_SCALE);
  } finally {
    // a view holds its dataflow, scenegraph and timers until finalized: without it memory grows per render
    view.finalize();
  }
}

async function png(text: string): Promise<Buffer> {
  // density 72: one PNG pixel per SVG pixel (the SVG is already scaled); sharp keeps no metadata
  // unless asked. Level 9 took 3× as long here for 4 % fewer bytes.
  return sharp(Buffer.from(text), { density: 72, failOn: "error" }).png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
}

const LATE = Symbol("late");

async function withinBudget<T>(what: string, options: RenderOptions, work: (log: Logger) => Promise<T>): Promise<T | undefined> {
  const log = (options.logger ?? sharedLogger()).child({ component: "charts" });
  const budget = options.budgetMs ?? RENDER_BUDGET_MS;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => {
      resolve(LATE);
    }, budget);
  });
  const running = (async () => work(log))();
  try {
    const out = await Promise.race([running, late]);
    const ms = Math.round(performance.now() - started);
    // vega's layout is synchronous: the timer can't fire during it, so the clock is checked too
    if (out === LATE || ms > budget) {
      running.catch((err: unknown) => {
        log.debug({ chart: what, err }, "a late chart failed after all");
      });
      log.warn({ chart: what, ms, budgetMs: budget }, "chart took too long to draw: the answer goes without it");
      return undefined;
    }
    return out;
  } catch (err) {
    log.warn({ chart: what, err }, "chart could not be drawn: the answer goes without it");
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** Vega's warnings (an empty extent, a dropped field) into our log, never onto stderr. */
function vegaLog(log: Logger): LoggerInterface {
  return vegaLogger(Warn, undefined, (method, _level, args) => {
    const text = args.map((a) => (a instanceof Error ? a.message : String(a))).join(" ");
    if (method === "error") log.warn({ vega: text }, "vega reported an error");
    else log.debug({ vega: text }, "vega said");
  });
}

/** Charts carry their data inline: a spec that asks to load anything (a URL, a file) is refused. */
const refuse = (uri: unknown): Promise<never> => Promise.reject(new Error(`charts load nothing (asked for ${String(uri)})`));
const NO_LOADS: Loader = { load: refuse, sanitize: refuse, http: refuse, file: refuse };

/** A PNG redrawn at most `width` wide in `colours` colours, unscaled when already narrower; no dithering (flat colours compress best). */
export async function shrinkPng(png: Uint8Array, size: ShrinkSize): Promise<Buffer> {
  return sharp(png).resize({ width: size.width, withoutEnlargement: true }).png({ palette: true, colours: size.colours, dither: 0, compressionLevel: 9 }).toBuffer();
}
