import { describe, expect, it } from "vitest";
import { chartsOf, MAX_CHARTS_PER_ANSWER } from "../../src/bot/chart-of.ts";
import { summaryCharts } from "../../src/bot/chart-of-summary.ts";
import { composeReply } from "../../src/bot/compose.ts";
import { SUMMARY_FIGURES, type DailySummary, type Figures } from "../../src/queries/daily-summary.ts";
import { CHART_MAX_SERIES, type Point } from "../../src/bot/message.ts";
import type { Aggregation } from "../../src/queries/catalog.ts";
import type { MetricResult, QueryAnswer, SeriesResult } from "../../src/queries/result.ts";
import { demoBot } from "../scenarios/golden-questions.ts";
import { reportExamples } from "../schedules/report-examples.ts";

const START = Date.parse("2026-11-29T09:00:00Z");
const at = (minute: number) => new Date(START + minute * 60_000).toISOString().replace(".000Z", "Z");
const points = (values: readonly (number | null)[]): Point[] => values.map((value, i) => ({ time: at(i), value }));

const result = (over: Partial<MetricResult>): MetricResult => ({
  label: "Requests",
  metric: "AzureOpenAIRequests",
  displayName: "Azure OpenAI Requests",
  aggregation: "Total",
  unit: "Count",
  resource: { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/prod", name: "prod" },
  value: 120,
  previous: 100,
  points: points([50, 70]),
  series: [],
  hiddenSeries: 0,
  provenance: { resourceId: "x", metric: "AzureOpenAIRequests", aggregation: "Total", interval: "PT1M", timespan: "2026-11-29T09:00:00Z/2026-11-29T10:00:00Z", previousTimespan: "2026-11-29T08:00:00Z/2026-11-29T09:00:00Z", zone: "UTC", localWindow: "2026-11-29 09:00–10:00 UTC", method: "sum of 2 PT1M points" },
  ...over,
});
const answer = (results: MetricResult[], zone = "UTC"): QueryAnswer => ({ topic: "Requests", zone, window: { start: "2026-11-29T09:00:00Z", end: "2026-11-29T10:00:00Z", label: "last 1 h" }, previousWindow: { start: "2026-11-29T08:00:00Z", end: "2026-11-29T09:00:00Z" }, results, notes: [], requests: [] });

/** A split of `n` deployments d1…dn (ranked as given), three minutes each: d<i> has i calls a minute, minute 1 has no data for d1. */
function split(n: number, shown: number, aggregation: Aggregation = "Total"): MetricResult {
  const rows: SeriesResult[] = Array.from({ length: n }, (_, k) => ({ dimensions: { ModelDeploymentName: `d${k + 1}` }, value: 3 * (k + 1), previous: null, points: points(k === 0 ? [1, null, 1] : [k + 1, k + 1, k + 1]) }));
  const total = (minute: number) => rows.reduce((s, r) => s + (r.points[minute]?.value ?? 0), 0);
  return result({ aggregation, splitBy: "ModelDeploymentName", series: rows.slice(0, shown), hiddenSeries: n - shown, points: points([total(0), total(1), total(2)]) });
}

describe("charts of metric answers", () => {
  it("draws a figure's series as a line chart titled by the figure, in its unit, with the window and the query in the caption", () => {
    const [chart, ...more] = chartsOf(answer([result({ points: points([50, null, 70]) })]));
    expect(more).toEqual([]);
    expect(chart).toEqual({
      kind: "line",
      title: "Requests",
      unit: "Count",
      caption: "Sun 29 Nov 09:00–10:00 UTC · AzureOpenAIRequests · Total · PT1M",
      zone: "UTC",
      series: [{ label: "Requests", points: points([50, null, 70]) }],
      bars: [],
    });
  });

  it("keeps a minute without data as a gap (null), never 0", () => {
    const [chart] = chartsOf(answer([split(3, 3)]));
    expect(chart?.series.map((s) => s.points.map((p) => p.value))).toEqual([[1, null, 1], [2, 2, 2], [3, 3, 3]]);
  });

  it("labels the window in the answer's zone", () => {
    const [chart] = chartsOf(answer([result({})], "Europe/Berlin"));
    expect(chart?.zone).toBe("Europe/Berlin");
    expect(chart?.caption).toBe("Sun 29 Nov 10:00–11:00 Europe/Berlin · AzureOpenAIRequests · Total · PT1M");
  });

  it("draws one line per deployment of a split, named by the dimension", () => {
    const [chart] = chartsOf(answer([split(3, 3)]));
    expect(chart?.title).toBe("Requests by deployment");
    expect(chart?.series.map((s) => s.label)).toEqual(["d1", "d2", "d3"]);
  });

  it(`draws at most ${CHART_MAX_SERIES} lines: the first 7 and "other", the rest summed minute by minute`, () => {
    const [chart] = chartsOf(answer([split(12, 10)]));
    expect(chart?.series).toHaveLength(CHART_MAX_SERIES);
    expect(chart?.series.map((s) => s.label)).toEqual(["d1", "d2", "d3", "d4", "d5", "d6", "d7", "other (5)"]);
    // d8…d12, the two the answer left out included: 8+9+10+11+12 calls a minute
    expect(chart?.series[7]?.points.map((p) => p.value)).toEqual([50, 50, 50]);
  });

  it('sums "other" from the shown rows when none were cut, and keeps a minute no row had data for a gap', () => {
    const base = split(9, 9);
    const rows = base.series.map((s, k) => (k < 7 ? s : { ...s, points: points([k + 1, null, k + 1]) }));
    const [chart] = chartsOf(answer([{ ...base, series: rows }]));
    expect(chart?.series.at(-1)).toEqual({ label: "other (2)", points: points([17, null, 17]) });
  });

  it("leaves averages past the eighth out instead of adding them up, and says so in the caption", () => {
    const [chart] = chartsOf(answer([split(12, 10, "Average")]));
    expect(chart?.series.map((s) => s.label)).toEqual(["d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8"]);
    expect(chart?.caption).toContain("8 of 12 drawn; the other 4 are left out (averages don't add up)");
  });

  it("adds nothing when the answer already shows every series", () => {
    const [chart] = chartsOf(answer([split(5, 5)]));
    expect(chart?.series.map((s) => s.label)).toEqual(["d1", "d2", "d3", "d4", "d5"]);
    expect(chart?.caption).toBe("Sun 29 Nov 09:00–10:00 UTC · AzureOpenAIRequests · Total · PT1M");
  });

  it("draws a breakdown with no series over time (one point per row) as bars of its figures, as ranked, no data kept null", () => {
    const rows: SeriesResult[] = [
      { dimensions: { Region: "swedencentral" }, value: 97.5, previous: null, points: [{ time: at(0), value: 900 }] },
      { dimensions: { Region: "eastus" }, value: 99.25, previous: null, points: [{ time: at(0), value: 300 }] },
      { dimensions: { Region: "westus" }, value: null, previous: null, points: [] },
    ];
    const [chart] = chartsOf(answer([result({ label: "Success rate", figure: "success-rate", unit: "Percent", splitBy: "Region", series: rows, points: [{ time: at(0), value: 1200 }] })]));
    expect(chart).toMatchObject({ kind: "bar", title: "Success rate by region", unit: "Percent", series: [], bars: [{ label: "swedencentral", value: 97.5 }, { label: "eastus", value: 99.25 }, { label: "westus", value: null }] });
  });

  it("says what a share's points are: the counted calls, in calls", () => {
    const [chart] = chartsOf(answer([result({ label: "Success rate", figure: "success-rate", unit: "Percent" })]));
    expect(chart).toMatchObject({ kind: "line", title: "Success rate: 2xx calls per minute", unit: "Count" });
  });

  it("draws compared deployments as lines of one chart", () => {
    const item = (value: string, values: number[]) => result({ label: `Requests — ${value}`, item: { dimension: "ModelDeploymentName", value }, points: points(values) });
    const charts = chartsOf(answer([item("gpt-4o", [1, 2]), item("gpt-4o-mini", [3, 4])]));
    expect(charts).toHaveLength(1);
    expect(charts[0]).toMatchObject({ title: "Requests — gpt-4o vs gpt-4o-mini", series: [{ label: "gpt-4o", points: points([1, 2]) }, { label: "gpt-4o-mini", points: points([3, 4]) }] });
  });

  it("draws nothing for a failed figure, a single number, or bars that are all 0", () => {
    expect(chartsOf(answer([result({ error: { code: "BadRequest", message: "no" }, points: [] })]))).toEqual([]);
    expect(chartsOf(answer([result({ points: points([5]) })]))).toEqual([]);
    const zeros: SeriesResult[] = ["a", "b"].map((d) => ({ dimensions: { ModelDeploymentName: d }, value: 0, previous: 0, points: [] }));
    expect(chartsOf(answer([result({ splitBy: "ModelDeploymentName", series: zeros, points: [] })]))).toEqual([]);
  });

  it(`keeps an answer to ${MAX_CHARTS_PER_ANSWER} charts, in figure order`, () => {
    const charts = chartsOf(answer(["A", "B", "C", "D", "E", "F"].map((label) => result({ label }))));
    expect(charts.map((c) => c.title)).toEqual(["A", "B", "C", "D"]);
  });
});

describe("charts in messages", () => {
  it("puts the chart on a metric answer and none on help", async () => {
    const bot = demoBot();
    const asked = "latency by deployment last 24h";
    const m = composeReply(await bot.ask(asked), asked);
    expect(m.charts).toHaveLength(1);
    expect(m.charts?.[0]).toMatchObject({ kind: "line", title: "Time to response (successful calls) by deployment", unit: "MilliSeconds", caption: "Sat 28 Nov 10:00 – Sun 29 Nov 10:00 UTC · AzureOpenAITimeToResponse · Average · PT15M" });
    expect(m.charts?.[0]?.series.map((s) => s.label)).toEqual(["gpt-4o", "gpt-4o-mini", "gpt-4o-ptu", "text-embedding-3-large"]);
    expect(m.charts?.[0]?.series.every((s) => s.points.length === 96)).toBe(true);
    const help = composeReply(await bot.ask("help"), "help");
    expect(help.charts).toBeUndefined();
  });

  it("gives the daily summary bars of yesterday's requests and 429s by deployment, most first, in the report's zone", async () => {
    const report = (await reportExamples())["report-summary"];
    expect(report.charts?.map((c) => [c.kind, c.title, c.zone])).toEqual([
      ["bar", "Requests by deployment — Sat 28 Nov 2026", "Europe/Berlin"],
      ["bar", "429s by deployment — Sat 28 Nov 2026", "Europe/Berlin"],
    ]);
    const requests = report.charts?.[0]?.bars ?? [];
    expect(requests.map((b) => b.value)).toEqual([...requests.map((b) => b.value)].sort((a, b) => (b ?? 0) - (a ?? 0)));
    expect(report.charts?.[0]?.caption).toBe("Sat 28 Nov 00:00 – Sun 29 Nov 00:00 Europe/Berlin · AzureOpenAIRequests Total · PT1H");
  });

  it('sums the summary\'s deployments past the seventh into "other", and draws no 429s chart for a day without 429s', () => {
    const figures = (requests: number | null, throttled: number | null): Figures => Object.fromEntries(SUMMARY_FIGURES.map((f) => [f.id, { value: f.id === "requests" ? requests : f.id === "throttled" ? throttled : null, previous: null }])) as Figures;
    const deployments = Array.from({ length: 10 }, (_, k) => ({ name: `d${k}`, figures: figures(k === 3 ? null : (k + 1) * 100, 0) }));
    const s: DailySummary = { resource: { id: "r", name: "prod" }, zone: "UTC", dayLabel: "Sat 28 Nov 2026", day: { start: "2026-11-28T00:00:00.000Z", end: "2026-11-29T00:00:00.000Z" }, previousDay: { start: "2026-11-27T00:00:00.000Z", end: "2026-11-28T00:00:00.000Z" }, totals: figures(5100, 0), deployments, requests: [] };
    const charts = summaryCharts(s);
    expect(charts.map((c) => c.title)).toEqual(["Requests by deployment — Sat 28 Nov 2026"]);
    // the seven largest, most first; "other" is d1 + d0 (300) and d3, which had no data
    expect(charts[0]?.bars).toEqual([
      { label: "d9", value: 1000 }, { label: "d8", value: 900 }, { label: "d7", value: 800 }, { label: "d6", value: 700 }, { label: "d5", value: 600 }, { label: "d4", value: 500 }, { label: "d2", value: 300 },
      { label: "other (3)", value: 300 },
    ]);
    expect(charts[0]?.caption).toBe("Sat 28 Nov 00:00 – Sun 29 Nov 00:00 UTC · AzureOpenAIRequests Total · PT1H");
  });
});
