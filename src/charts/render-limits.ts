// What a chart render may take and what is worth drawing, apart from the renderer itself: the bot
// process asks these of the renderer process without loading vega or sharp.
import type { Chart } from "../bot/message.ts";

export const RENDER_BUDGET_MS = 2000;

/** A line chart without one value, or bars without a bar, is an empty frame: nothing to send. */
export function drawable(chart: Chart): boolean {
  return chart.kind === "line" ? chart.series.some((s) => s.points.some((p) => p.value !== null)) : chart.bars.length > 0;
}
