// From the responses to a plan's requests to figures: which conditional requests are due, and
// each ask's result per resource. Reads responses only; every request comes from the plan.
import type { Metric as AzureMetric, TimeSeriesElement } from "@azure/arm-monitor";
import { combineSeries, pointValue, windowValue, type RawPoint } from "./aggregate.ts";
import type { MetricsResponse } from "./azure-metrics.ts";
import { DIMENSIONS, metric, type Aggregation, type Dimension } from "./catalog.ts";
import { CONDITIONS, SPLIT_FETCH_TOP, type Condition, type Plan, type PlannedRequest } from "./plan.ts";
import { DEFAULT_TOP, type MetricAsk } from "./question.ts";
import type { Resource } from "./resources.ts";
import type { MetricResult, Point, SeriesResult } from "./result.ts";
import { describeInZone, iso, isoSpan, RETENTION_DAYS } from "./time-window.ts";

export type Responses = ReadonlyMap<PlannedRequest, MetricsResponse>;

const DIMENSION_BY_LOWER = new Map<string, Dimension>(DIMENSIONS.map((d) => [d.toLowerCase(), d]));

/** One ask on one resource: its two figures requests, their entries and series merged by the user's split. */
interface Drawn {
  readonly ask: MetricAsk;
  readonly current: PlannedRequest;
  readonly previous: PlannedRequest;
  readonly response: MetricsResponse;
  readonly entry: AzureMetric | undefined;
  readonly prevEntry: AzureMetric | undefined;
  /** An entry Azure marked as failed (inside an otherwise successful response). */
  readonly failed: AzureMetric | undefined;
  readonly groups: Map<string, RawPoint[]>;
  readonly prevGroups: Map<string, RawPoint[]>;
  readonly all: RawPoint[];
  readonly prevAll: RawPoint[];
}

/** When each condition holds, for one ask the conditional request serves. */
const CONDITION_HOLDS: Record<Condition, (d: Drawn, check: PlannedRequest) => boolean> = {
  [CONDITIONS.noCounts]: (d) => d.ask.aggregation === "Average" && windowValue(d.all, "Average").needsFull,
  [CONDITIONS.noStatusMatch]: (d, check) =>
    d.ask.status?.kind === "exact" && d.ask.metric === check.request.metricnames && windowValue(check.of?.request.window === "previous" ? d.prevAll : d.all, d.ask.aggregation).value === null,
};

/** Whether a conditional request is due, given the unconditional requests' responses. */
export function conditionHolds(plan: Plan, check: PlannedRequest, responses: Responses): boolean {
  const condition = check.conditional;
  if (condition === undefined) return true;
  return check.asks.some((i) => {
    const d = draw(plan, i, check.resource, responses);
    return d !== undefined && d.entry !== undefined && d.failed === undefined && CONDITION_HOLDS[condition](d, check);
  });
}

/** Every ask's result, resource by resource. */
export function results(plan: Plan, responses: Responses): MetricResult[] {
  return plan.resources.flatMap((resource) =>
    plan.question.asks.flatMap((_, i) => {
      const d = draw(plan, i, resource, responses);
      return d ? [buildResult(plan, d, responses)] : [];
    }),
  );
}

function draw(plan: Plan, i: number, resource: Resource, responses: Responses): Drawn | undefined {
  const ask = plan.question.asks[i]!;
  const figures = (window: "current" | "previous") => plan.requests.find((p) => p.purpose === "figures" && p.resource === resource && p.request.window === window && p.asks.includes(i));
  const current = figures("current");
  const previous = figures("previous");
  const response = current && responses.get(current);
  const prevResponse = previous && responses.get(previous);
  if (!current || !previous || !response || !prevResponse) return undefined;
  const entry = findMetric(response, ask.metric);
  const prevEntry = findMetric(prevResponse, ask.metric);
  const splitBy = plan.question.splitBy;
  const groups = groupSeries(entry?.timeseries ?? [], ask, splitBy);
  const prevGroups = groupSeries(prevEntry?.timeseries ?? [], ask, splitBy);
  return {
    ask,
    current,
    previous,
    response,
    entry,
    prevEntry,
    failed: [entry, prevEntry].find((e) => e !== undefined && e.errorCode !== undefined && e.errorCode !== "Success"),
    groups,
    prevGroups,
    all: combineSeries(groups.size > 0 ? [...groups.values()] : [[]]),
    prevAll: combineSeries(prevGroups.size > 0 ? [...prevGroups.values()] : [[]]),
  };
}

/** The response to the check of `of` with this purpose (and metric), if the plan had one and it ran. */
function checkResponse(plan: Plan, purpose: PlannedRequest["purpose"], of: PlannedRequest, responses: Responses, metricName?: string): MetricsResponse | undefined {
  const check = plan.requests.find((p) => p.purpose === purpose && p.of === of && (metricName === undefined || p.request.metricnames === metricName));
  return check && responses.get(check);
}

function buildResult(plan: Plan, d: Drawn, responses: Responses): MetricResult {
  const { ask, current: planned, entry, prevEntry } = d;
  const info = metric(ask.metric);
  const question = plan.question;
  const req = planned.request;
  const splitBy = question.splitBy;
  const interval = d.response.interval ?? req.interval;
  const base = {
    label: ask.label,
    metric: info.name,
    displayName: info.displayName,
    aggregation: ask.aggregation,
    unit: info.unit,
    ...(info.legacy ? { legacy: info.legacy } : {}),
    resource: { id: planned.resource.id, name: planned.resource.name },
    ...(splitBy === undefined ? {} : { splitBy }),
  };
  const provenance = (method: string) => ({
    resourceId: planned.resource.id,
    metric: info.name,
    aggregation: ask.aggregation,
    interval,
    timespan: req.timespan,
    previousTimespan: isoSpan(plan.previous),
    ...(req.filter === undefined ? {} : { filter: req.filter }),
    zone: plan.zone,
    localWindow: describeInZone(plan.window, plan.zone),
    method,
  });
  if (!entry || d.failed) {
    const error = d.failed
      ? { code: d.failed.errorCode ?? "Error", message: d.failed.errorMessage ?? "Azure Monitor reported an error for this metric." }
      : { code: "MetricMissing", message: `Azure Monitor returned no entry for ${info.name}.` };
    return { ...base, value: null, previous: null, points: [], series: [], hiddenSeries: 0, provenance: provenance("not computed"), error };
  }

  let overall = windowValue(d.all, ask.aggregation);
  let method = methodText(ask.aggregation, overall.points, interval);
  const full = overall.needsFull ? checkResponse(plan, "full-window", planned, responses) : undefined;
  if (full) {
    overall = windowValue(combineSeries([...groupSeries(findMetric(full, ask.metric)?.timeseries ?? [], ask, splitBy).values()]), ask.aggregation);
    method = "one FULL point from Azure Monitor (points came without counts)";
  }
  let previous = windowValue(d.prevAll, ask.aggregation).value;

  // where the same requests had traffic, a status filter that matched nothing is a real zero (no 429s)
  const seen = trafficSeen(plan, ask, planned, entry.timeseries, responses);
  const prevSeen = trafficSeen(plan, ask, d.previous, prevEntry?.timeseries ?? [], responses);
  if (overall.value === null && seen.size > 0 && ask.status) {
    overall = { value: 0, needsFull: false, points: 0 };
    method = `0: no ${ask.status.kind === "exact" ? ask.status.code : ask.status.label} calls, while the same requests without the StatusCode filter had data`;
  }
  if (previous === null && prevSeen.size > 0 && ask.status) previous = 0;
  if (beyondRetention(plan)) previous = null;

  let series: SeriesResult[];
  let hidden = 0;
  if (splitBy === undefined) {
    series = [{ dimensions: {}, value: overall.value, previous, points: toPoints(d.all, ask.aggregation) }];
  } else {
    const keys = new Set([...d.groups.keys(), ...seen]);
    const figure = (g: Map<string, RawPoint[]>, seenKeys: Set<string>, key: string) => {
      const pts = g.get(key);
      return pts ? windowValue(pts, ask.aggregation).value : seenKeys.has(key) && ask.status ? 0 : null;
    };
    const rows = [...keys].map((key) => ({
      dimensions: { [splitBy]: key },
      value: figure(d.groups, seen, key),
      previous: beyondRetention(plan) ? null : figure(d.prevGroups, prevSeen, key),
      points: toPoints(d.groups.get(key) ?? [], ask.aggregation),
    }));
    const sign = question.order === "asc" ? 1 : -1;
    // rows without data go last whichever way the figures are ranked
    rows.sort((a, b) => (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) || sign * ((a.value ?? 0) - (b.value ?? 0)));
    const top = question.top ?? DEFAULT_TOP;
    hidden = Math.max(0, rows.length - top);
    series = rows.slice(0, top);
  }
  const capped = entry.timeseries.length >= SPLIT_FETCH_TOP;
  return {
    ...base,
    value: overall.value,
    previous,
    points: toPoints(d.all, ask.aggregation),
    series,
    hiddenSeries: hidden,
    provenance: provenance(capped ? `${method}; Azure returned its maximum of ${SPLIT_FETCH_TOP} series, so the smallest may be missing` : method),
  };
}

/**
 * Split keys ("" when unsplit) that had traffic in the requests a status ask was drawn from.
 * A class ask split by StatusCode already has every code Azure saw; an exact code reads the
 * plan's traffic check (the same request without the StatusCode clause), when it ran.
 */
function trafficSeen(plan: Plan, ask: MetricAsk, of: PlannedRequest, timeseries: readonly TimeSeriesElement[], responses: Responses): Set<string> {
  if (ask.status === undefined || ask.aggregation !== "Total") return new Set();
  const splitBy = plan.question.splitBy;
  const keysWithData = (series: readonly TimeSeriesElement[]) => new Set(series.filter((ts) => (ts.data ?? []).some((p) => typeof p.total === "number" && p.total > 0)).map((ts) => (splitBy === undefined ? "" : (dimensionsOf(ts).get(splitBy) ?? "(none)"))));
  if (ask.status.kind === "class") {
    const keys = keysWithData(timeseries);
    // split by StatusCode itself: only the codes of the class are rows ("errors by status code" has no 200 row)
    const prefixes = ask.status.prefixes;
    return splitBy === "StatusCode" ? new Set([...keys].filter((k) => prefixes.some((p) => k.startsWith(p)))) : keys;
  }
  const res = checkResponse(plan, "traffic", of, responses, ask.metric);
  return res ? keysWithData(findMetric(res, ask.metric)?.timeseries ?? []) : new Set();
}

/** Azure Monitor keeps 93 days: a previous window older than that has no data to compare with. */
function beyondRetention(plan: Plan): boolean {
  return plan.window.end.getTime() - plan.previous.start.getTime() > RETENTION_DAYS * 86_400_000;
}

function findMetric(res: MetricsResponse, name: string): AzureMetric | undefined {
  return res.value.find((m) => m.name.value.toLowerCase() === name.toLowerCase());
}

/** Keeps the series the ask wants (e.g. non-2xx codes) and merges them by the user's split. */
function groupSeries(timeseries: readonly TimeSeriesElement[], ask: MetricAsk, splitBy: Dimension | undefined): Map<string, RawPoint[]> {
  const buckets = new Map<string, RawPoint[][]>();
  for (const ts of timeseries) {
    const dims = dimensionsOf(ts);
    if (ask.status?.kind === "class") {
      const code = dims.get("StatusCode") ?? "";
      if (!ask.status.prefixes.some((p) => code.startsWith(p))) continue;
    }
    const key = splitBy === undefined ? "" : (dims.get(splitBy) ?? "(none)");
    const list = buckets.get(key) ?? [];
    list.push((ts.data ?? []).map((p) => ({ time: new Date(p.timeStamp), average: p.average, minimum: p.minimum, maximum: p.maximum, total: p.total, count: p.count })));
    buckets.set(key, list);
  }
  return new Map([...buckets.entries()].map(([k, v]) => [k, combineSeries(v)]));
}

function dimensionsOf(ts: TimeSeriesElement): Map<Dimension, string> {
  const out = new Map<Dimension, string>();
  for (const mv of ts.metadatavalues ?? []) {
    const dim = DIMENSION_BY_LOWER.get((mv.name?.value ?? "").toLowerCase());
    if (dim && mv.value !== undefined) out.set(dim, mv.value);
  }
  return out;
}

function toPoints(points: readonly RawPoint[], agg: Aggregation): Point[] {
  return points.map((p) => ({ time: iso(p.time), value: pointValue(p, agg) }));
}

function methodText(agg: Aggregation, n: number, interval: string): string {
  const of = `${n} ${interval} point${n === 1 ? "" : "s"}`;
  switch (agg) {
    case "Total":
      return `sum of ${of}`;
    case "Count":
      return `sum of counts of ${of}`;
    case "Average":
      return `Σ(average×count)/Σcount of ${of}`;
    case "Maximum":
      return `max of ${of}`;
    case "Minimum":
      return `min of ${of}`;
  }
}
