// The daily summary's numbers: yesterday vs the day before, per deployment, from the two responses
// to its plan (summary-plan.ts), cut at the zone's local midnights so a 23- or 25-hour DST day
// is summed correctly.
import type { TimeSeriesElement } from "@azure/arm-monitor";
import { combineSeries, windowValue, type RawPoint } from "./aggregate.ts";
import type { MetricsResponse } from "./azure-metrics.ts";
import { figureInfo, type MetricUnit } from "./catalog.ts";
import { share } from "./derived.ts";
import { statusMatches } from "./status.ts";
import type { MetricsRequest } from "./plan.ts";
import { SUMMARY_METRICS, type SummaryFigureId, type SummaryPlan } from "./summary-plan.ts";
import { iso } from "./time-window.ts";

export type { SummaryFigureId };

export interface Figure {
  readonly value: number | null;
  readonly previous: number | null;
}

interface FigureSpec {
  readonly id: SummaryFigureId;
  readonly label: string;
  readonly unit: MetricUnit;
  /** Which way is worse, for "worst movers first". */
  readonly worse: "up" | "down" | "none";
  readonly source: string;
}

/** The catalog's success rate: the one definition chat answers and condition reports use too. */
const SUCCESS_RATE = figureInfo("success-rate");

/** The summary's rows, as data: label, unit, which direction is bad, and where the figure comes from. */
export const SUMMARY_FIGURES: readonly FigureSpec[] = [
  { id: "requests", label: "Requests", unit: "Count", worse: "none", source: "AzureOpenAIRequests Total" },
  { id: "successRate", label: SUCCESS_RATE.label, unit: SUCCESS_RATE.unit, worse: "down", source: SUCCESS_RATE.formula },
  { id: "throttled", label: "429s", unit: "Count", worse: "up", source: "AzureOpenAIRequests Total, StatusCode 429" },
  { id: "serverErrors", label: "5xx", unit: "Count", worse: "up", source: "AzureOpenAIRequests Total, StatusCode 5xx" },
  { id: "ttrAvg", label: "Avg time to response", unit: "MilliSeconds", worse: "up", source: "AzureOpenAITimeToResponse Σ(average×count)/Σcount" },
  { id: "ttrMax", label: "Max time to response", unit: "MilliSeconds", worse: "up", source: "AzureOpenAITimeToResponse Maximum" },
  { id: "promptTokens", label: "Prompt tokens", unit: "Count", worse: "none", source: "ProcessedPromptTokens Total" },
  { id: "completionTokens", label: "Completion tokens", unit: "Count", worse: "none", source: "GeneratedTokens Total" },
  { id: "ptuPeak", label: "PTU utilisation peak", unit: "Percent", worse: "up", source: "AzureOpenAIProvisionedManagedUtilizationV2 Maximum" },
  { id: "contentBlocks", label: "Content-filter blocks", unit: "Count", worse: "up", source: "RAIRejectedRequests Total" },
];

export type Figures = Readonly<Record<SummaryFigureId, Figure>>;

export interface DailySummary {
  readonly resource: { readonly id: string; readonly name: string };
  readonly zone: string;
  /** The local day summarised, e.g. "Sat 28 Nov 2026". */
  readonly dayLabel: string;
  readonly day: { readonly start: string; readonly end: string };
  readonly previousDay: { readonly start: string; readonly end: string };
  readonly totals: Figures;
  readonly deployments: readonly { readonly name: string; readonly figures: Figures }[];
  readonly requests: readonly MetricsRequest[];
  /** Set when this resource, one of several summarised together, refused the bot (what Azure said and what to do): its figures are not known. */
  readonly refused?: string;
  /** The region whose metrics:getBatch calls carried the requests (with other accounts'); absent: Metrics - List calls. */
  readonly batchedIn?: string;
}

/** The summary from the responses to the plan's two requests, in the plan's order. */
export function summarize(plan: SummaryPlan, [http, other]: readonly [MetricsResponse, MetricsResponse]): DailySummary {
  const { day, previousDay: prev, deployments, zone } = plan;
  const days = { current: [day.start.toMillis(), day.end.toMillis()] as const, previous: [prev.start.toMillis(), prev.end.toMillis()] as const };
  const inDay = (points: readonly RawPoint[], which: keyof typeof days) => points.filter((p) => p.time.getTime() >= days[which][0] && p.time.getTime() < days[which][1]);
  const wanted = deployments && deployments.length > 0 ? new Set(deployments.map((d) => d.toLowerCase())) : undefined;

  const httpSeries = seriesOf(http, "AzureOpenAIRequests").filter((s) => !wanted || wanted.has(s.deployment.toLowerCase()));
  const names = [...new Set(httpSeries.map((s) => s.deployment).concat(SUMMARY_METRICS.flatMap((m) => seriesOf(other, m.metric).map((s) => s.deployment))))]
    .filter((d) => !wanted || wanted.has(d.toLowerCase()))
    .sort();

  const figuresFor = (only: string | undefined): Figures => {
    const pick = <T extends { deployment: string }>(list: readonly T[]) => list.filter((s) => only === undefined || s.deployment === only);
    const http = pick(httpSeries);
    const count = (which: keyof typeof days, match: (code: string) => boolean): number | null => {
      // the resource reported calls that day: a deployment (or code) without a series had none, a real 0
      const resourceReported = httpSeries.some((s) => inDay(s.points, which).some((p) => p.total !== undefined));
      if (!resourceReported) return null;
      const sel = http.filter((s) => match(s.statusCode)).map((s) => inDay(s.points, which));
      // Azure lists every code that had calls: a code that is absent is a real zero
      return sel.length === 0 ? 0 : (windowValue(combineSeries(sel), "Total").value ?? 0);
    };
    const fig = (match: (code: string) => boolean): Figure => ({ value: count("current", match), previous: count("previous", match) });
    const requests = fig(() => true);
    const numerator = SUCCESS_RATE.numerator;
    const success = fig((c) => numerator !== undefined && statusMatches(numerator, c));
    const rate = (s: number | null, t: number | null) => (s === null || t === null ? null : share([{ time: new Date(0), total: s }], [{ time: new Date(0), total: t }]).value);
    const figures: Record<string, Figure> = {
      requests,
      successRate: { value: rate(success.value, requests.value), previous: rate(success.previous, requests.previous) },
      throttled: fig((c) => c === "429"),
      serverErrors: fig((c) => c.startsWith("5")),
    };
    for (const m of SUMMARY_METRICS) {
      const series = pick(seriesOf(other, m.metric)).map((s) => s.points);
      const value = (which: keyof typeof days) => (series.length === 0 ? null : windowValue(combineSeries(series.map((p) => inDay(p, which))), m.aggregation).value);
      figures[m.id] = { value: value("current"), previous: value("previous") };
    }
    return figures as Figures;
  };

  return {
    resource: plan.resource,
    zone,
    dayLabel: day.start.toFormat("ccc d LLL yyyy"),
    day: { start: iso(day.start.toUTC().toJSDate()), end: iso(day.end.toUTC().toJSDate()) },
    previousDay: { start: iso(prev.start.toUTC().toJSDate()), end: iso(prev.end.toUTC().toJSDate()) },
    totals: figuresFor(undefined),
    deployments: names.map((name) => ({ name, figures: figuresFor(name) })),
    requests: plan.requests,
  };
}

interface Series {
  readonly deployment: string;
  readonly statusCode: string;
  readonly points: RawPoint[];
}

function seriesOf(res: MetricsResponse, metric: string): Series[] {
  const entry = res.value.find((m) => m.name.value.toLowerCase() === metric.toLowerCase());
  if (!entry || (entry.errorCode !== undefined && entry.errorCode !== "Success")) return [];
  return entry.timeseries.map((ts: TimeSeriesElement) => {
    const dim = (name: string) => ts.metadatavalues?.find((m) => m.name?.value.toLowerCase() === name)?.value ?? "";
    return {
      deployment: dim("modeldeploymentname") || "(none)",
      statusCode: dim("statuscode"),
      points: (ts.data ?? []).map((d) => ({ time: new Date(d.timeStamp), average: d.average, minimum: d.minimum, maximum: d.maximum, total: d.total, count: d.count })),
    };
  });
}

