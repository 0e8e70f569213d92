// Charts as chart-of.ts builds them, small enough to read in a golden spec: lines with a gap, a
// lone minute and a summed "other"; bars with no data and "other"; a DST day.
import type { Chart, Point } from "../../src/bot/message.ts";

const minutes = (start: string, values: readonly (number | null)[], step = 1): Point[] =>
  values.map((value, i) => ({ time: new Date(Date.parse(start) + i * step * 60_000).toISOString(), value }));

const HOUR = "2026-11-29T09:00:00.000Z";

export const LINES: Chart = {
  kind: "line",
  title: "Time to response (successful calls) by deployment",
  unit: "MilliSeconds",
  caption: "Sun 29 Nov 10:00–11:00 Europe/Berlin · AzureOpenAITimeToResponse · Average · PT15M",
  zone: "Europe/Berlin",
  series: [
    { label: "gpt-4o", points: minutes(HOUR, [2100, 1950, null, 2300, 2050], 15) },
    { label: "gpt-4o-mini", points: minutes(HOUR, [1100, null, 1150, null, 1200], 15) },
    { label: "other (3)", points: minutes(HOUR, [400, 420, 410, 430, null], 15) },
  ],
  bars: [],
};

export const ONE_LINE: Chart = {
  kind: "line",
  title: "Requests",
  unit: "Count",
  caption: "Sun 29 Nov 09:00–10:00 UTC · AzureOpenAIRequests · Total · PT15M",
  zone: "UTC",
  series: [{ label: "Requests", points: minutes(HOUR, [12000, 15000, 14000, 16000, 15500], 15) }],
  bars: [],
};

export const BARS: Chart = {
  kind: "bar",
  title: "Success rate by region",
  unit: "Percent",
  caption: "Sun 29 Nov 09:00–10:00 UTC · AzureOpenAIRequests · Total · PT1M",
  zone: "UTC",
  series: [],
  bars: [
    { label: "swedencentral", value: 99.25 },
    { label: "eastus", value: 97.5 },
    { label: "westus", value: null },
    { label: "other (4)", value: 98.1 },
  ],
};

/** 24 h over Europe/Berlin's fall-back night (2026-10-25: 03:00 CEST → 02:00 CET), hourly points. */
export const DST_DAY: Chart = {
  kind: "line",
  title: "Requests",
  unit: "Count",
  caption: "Sun 25 Oct 00:00 – Mon 26 Oct 00:00 Europe/Berlin · AzureOpenAIRequests · Total · PT1H",
  zone: "Europe/Berlin",
  series: [{ label: "Requests", points: minutes("2026-10-24T22:00:00.000Z", Array.from({ length: 25 }, (_, i) => 100 + i), 60) }],
  bars: [],
};

/** n series, 60 minutes each: the most a chart takes. */
export function manyLines(n: number, zone = "UTC"): Chart {
  return {
    kind: "line",
    title: "Requests by deployment",
    unit: "Count",
    caption: "Sun 29 Nov 09:00–10:00 UTC · AzureOpenAIRequests · Total · PT1M",
    zone,
    series: Array.from({ length: n }, (_, s) => ({ label: `deployment-${s + 1}`, points: minutes(HOUR, Array.from({ length: 60 }, (_, i) => (i === 30 ? null : 100 * (s + 1) + ((i * 37 + s * 11) % 50)))) })),
    bars: [],
  };
}
