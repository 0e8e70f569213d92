// How a unit reads on a chart: the value axis's title and tick format (d3-format, run by vega in
// en-US whatever the server's locale), and the text at a bar's end.
import type { MetricUnit } from "../queries/catalog.ts";

interface UnitFormat {
  /** Axis title: the unit itself. */
  readonly title: string;
  /** d3-format of the axis ticks up to 10,000 ("2,500", "0.5") and past it ("40M"). */
  readonly axis: readonly [small: string, large: string];
  /** Counts and bytes come whole: no tick at 0.2 calls. */
  readonly minStep?: number;
  /** Whether a line chart's value axis starts at 0 (availability near 100 % would be a flat line at the top); bars always do. */
  readonly lineZero: boolean;
  readonly text: (v: number) => string;
}

const en = (digits: number) => new Intl.NumberFormat("en-US", { maximumFractionDigits: digits });
const whole = en(0);
const two = en(2);

export const UNIT_FORMAT: Readonly<Record<MetricUnit, UnitFormat>> = {
  Count: { title: "count", axis: [",~r", "~s"], minStep: 1, lineZero: true, text: (v) => (Number.isInteger(v) || v >= 100 ? whole : two).format(v) },
  CountPerSecond: { title: "per second", axis: [",~r", "~s"], lineZero: true, text: (v) => `${two.format(v)}/s` },
  MilliSeconds: { title: "ms", axis: [",~r", ",~r"], lineZero: true, text: (v) => `${(v >= 100 ? whole : en(1)).format(v)} ms` },
  Percent: { title: "%", axis: [",~r", ",~r"], lineZero: false, text: (v) => `${en(v >= 99.9 && v < 100 ? 3 : 2).format(v)} %` },
  Bytes: { title: "bytes", axis: [",~r", "~s"], minStep: 1, lineZero: true, text: (v) => `${whole.format(v)} B` },
  Currency: { title: "cost", axis: [",.2~f", "~s"], lineZero: true, text: (v) => new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v) },
};

export const NO_DATA = "no data";

const LARGE = 10_000;

/**
 * The value axis of a chart whose values reach `max`: title, tick format, the smallest tick step,
 * and "0" written as 0 (an SI format gives every tick the same prefix: "0k", "20k").
 */
export function valueAxis(f: UnitFormat, max: number) {
  return {
    title: f.title,
    format: f.axis[Math.abs(max) >= LARGE ? 1 : 0],
    labelExpr: "datum.value === 0 ? '0' : datum.label",
    tickCount: 6,
    ...(f.minStep === undefined ? {} : { tickMinStep: f.minStep }),
  };
}
