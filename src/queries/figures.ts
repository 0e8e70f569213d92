// From the responses to a plan's requests to figures: which conditional requests are due, and
// each ask's result per resource (and per compared item). Reads responses only; every request comes from the plan.
import type { Metric as AzureMetric, TimeSeriesElement } from "@azure/arm-monitor";
import { combineSeries, pointValue, windowValue, type RawPoint } from "./aggregate.ts";
import type { MetricsResponse } from "./azure-metrics.ts";
import { DIMENSIONS, figureInfo, metric, type Aggregation, type Dimension, type FigureInfo } from "./catalog.ts";
import { peakMinute, perMinute, share, type Derived } from "./derived.ts";
import { coverageOf, cuttable, type Coverage } from "./freshness.ts";
import { CONDITIONS, FRESHNESS_SPAN_MINUTES, SPLIT_FETCH_TOP, type Condition, type Plan, type PlannedRequest } from "./plan.ts";
import { DEFAULT_TOP, type MetricAsk, type StatusSelector } from "./question.ts";
import type { Resource } from "./resources.ts";
import type { BaselineInfo, Freshness, MetricResult, Point, SeriesResult } from "./result.ts";
import { statusMatches } from "./status.ts";
import { describeInZone, iso, isoSpan, RETENTION_DAYS } from "./time-window.ts";

export type Responses = ReadonlyMap<PlannedRequest, MetricsResponse>;

const DIMENSION_BY_LOWER = new Map<string, Dimension>(DIMENSIONS.map((d) => [d.toLowerCase(), d]));

/** When latency over all calls differs from successful calls' by more than this, the answer says so. */
export const ALL_STATUS_NOTE_RATIO = 0.1;
/** Everything but 2xx: the calls latency of successful calls leaves out. */
const NOT_SUCCESSFUL: StatusSelector = { kind: "class", prefixes: ["1", "3", "4", "5"], label: "non-2xx" };

/** One ask on one resource (and compared item): its figures requests, entries and series merged by the user's split. */
interface Drawn {
  readonly ask: MetricAsk;
  readonly item: number | undefined;
  readonly current: PlannedRequest;
  /** The baseline's requests: one FULL point, or (live windows) a FULL head and a PT1M tail. */
  readonly previous: readonly PlannedRequest[];
  readonly response: MetricsResponse;
  readonly entry: AzureMetric | undefined;
  /** An entry Azure marked as failed (inside an otherwise successful response). */
  readonly failed: AzureMetric | undefined;
  /** Series of the ask's status, by split key; the baseline's cut to the covered length. */
  readonly groups: Map<string, RawPoint[]>;
  readonly prevGroups: Map<string, RawPoint[]>;
  /** Every status code's series (shares, latency over all calls). */
  readonly whole: Map<string, RawPoint[]>;
  readonly prevWhole: Map<string, RawPoint[]>;
  readonly all: RawPoint[];
  readonly prevAll: RawPoint[];
  readonly coverage: Coverage;
  /** The baseline can be compared over the same covered length. */
  readonly comparable: boolean;
}

/** When each condition holds, for one ask the conditional request serves. */
const CONDITION_HOLDS: Record<Condition, (d: Drawn, check: PlannedRequest, responses: Responses) => boolean> = {
  [CONDITIONS.noCounts]: (d) => d.ask.aggregation === "Average" && windowValue(d.all, "Average").needsFull,
  [CONDITIONS.noStatusMatch]: (d, check, responses) => {
    if (d.ask.status?.kind !== "exact" || d.ask.metric !== check.request.metricnames || check.of === undefined) return false;
    const res = responses.get(check.of);
    const points = combineAll(groupSeries(res ? (findMetric(res, d.ask.metric)?.timeseries ?? []) : [], d.ask.status, undefined));
    return windowValue(points, d.ask.aggregation).value === null;
  },
};

/** Whether a conditional request is due, given the unconditional requests' responses. */
export function conditionHolds(plan: Plan, check: PlannedRequest, responses: Responses): boolean {
  const condition = check.conditional;
  if (condition === undefined) return true;
  return check.asks.some((i) => {
    const d = draw(plan, i, check.resource, check.item, responses);
    return d !== undefined && d.entry !== undefined && d.failed === undefined && CONDITION_HOLDS[condition](d, check, responses);
  });
}

/** Every ask's result, resource by resource (and item by item when comparing). */
export function results(plan: Plan, responses: Responses): MetricResult[] {
  const items = plan.items.length === 0 ? [undefined] : plan.items.map((_, i) => i);
  return items.flatMap((item) =>
    plan.resources.flatMap((resource) =>
      plan.question.asks.flatMap((_, i) => {
        const d = draw(plan, i, resource, item, responses);
        return d ? [buildResult(plan, d, responses)] : [];
      }),
    ),
  );
}

function draw(plan: Plan, i: number, resource: Resource, item: number | undefined, responses: Responses): Drawn | undefined {
  const ask = plan.question.asks[i]!;
  const mine = (p: PlannedRequest) => p.purpose === "figures" && p.resource === resource && p.item === item && p.asks.includes(i);
  const current = plan.requests.find((p) => mine(p) && p.request.window === "current");
  const previous = plan.requests.filter((p) => mine(p) && p.request.window === "previous");
  const response = current && responses.get(current);
  if (!current || !response || previous.length === 0 || previous.some((p) => !responses.has(p))) return undefined;
  const entry = findMetric(response, ask.metric);
  const prevEntries = previous.map((p) => findMetric(responses.get(p)!, ask.metric));
  const splitBy = plan.question.splitBy;
  const coverage = coverageOf(plan, resource, responses);
  const comparable = previous.every((p) => cuttable(p, coverage.baselineEnd));
  const cutAt = coverage.baselineEnd.getTime();
  const prevMap = (status: StatusSelector | undefined) =>
    mergeGroups(previous.map((p, k) => groupSeries(prevEntries[k]?.timeseries ?? [], status, splitBy, p.request.interval === "FULL" ? undefined : (t) => t.getTime() < cutAt)));
  const groups = groupSeries(entry?.timeseries ?? [], ask.status, splitBy);
  const prevGroups = prevMap(ask.status);
  return {
    ask,
    item,
    current,
    previous,
    response,
    entry,
    failed: [entry, ...prevEntries].find((e) => e !== undefined && e.errorCode !== undefined && e.errorCode !== "Success"),
    groups,
    prevGroups,
    whole: groupSeries(entry?.timeseries ?? [], undefined, splitBy),
    prevWhole: prevMap(undefined),
    all: combineAll(groups),
    prevAll: combineAll(prevGroups),
    coverage,
    comparable,
  };
}

/** The response to the check of `of` with this purpose (and metric), if the plan had one and it ran. */
function checkResponse(plan: Plan, purpose: PlannedRequest["purpose"], of: PlannedRequest, responses: Responses, metricName?: string): MetricsResponse | undefined {
  const check = plan.requests.find((p) => p.purpose === purpose && p.of === of && (metricName === undefined || p.request.metricnames === metricName));
  return check && responses.get(check);
}

function buildResult(plan: Plan, d: Drawn, responses: Responses): MetricResult {
  const { ask, current: planned, entry } = d;
  const info = metric(ask.metric);
  const fig = ask.figure === undefined ? undefined : figureInfo(ask.figure);
  const item = d.item === undefined ? undefined : plan.items[d.item];
  const question = plan.question;
  const req = planned.request;
  const splitBy = question.splitBy;
  const interval = d.response.interval ?? req.interval;
  const baseline: BaselineInfo = { timespan: isoSpan({ start: plan.previous.start, end: d.coverage.baselineEnd }), kind: plan.previous.kind, label: plan.previous.label };
  const freshness: Freshness | undefined = d.coverage.dataUntil && { dataUntil: iso(d.coverage.dataUntil), coveredMinutes: Math.round(d.coverage.coveredMs / 60_000), windowMinutes: Math.round(d.coverage.windowMs / 60_000) };
  const base = {
    label: item ? `${ask.label} — ${item.value}` : ask.label,
    metric: info.name,
    displayName: info.displayName,
    ...(fig ? { figure: fig.id } : {}),
    ...(item ? { item } : {}),
    aggregation: ask.aggregation,
    unit: fig?.unit ?? info.unit,
    ...(info.legacy ? { legacy: info.legacy } : {}),
    resource: { id: planned.resource.id, name: planned.resource.name },
    ...(splitBy === undefined ? {} : { splitBy }),
    baseline,
    ...(freshness ? { freshness } : {}),
  };
  const provenance = (method: string) => ({
    resourceId: planned.resource.id,
    metric: info.name,
    aggregation: ask.aggregation,
    interval,
    timespan: req.timespan,
    previousTimespan: baseline.timespan,
    ...(req.filter === undefined ? {} : { filter: req.filter }),
    zone: plan.zone,
    localWindow: describeInZone(plan.window, plan.zone),
    method,
    ...(fig ? { formula: fig.formula } : {}),
  });
  if (!entry || d.failed) {
    const error = d.failed
      ? { code: d.failed.errorCode ?? "Error", message: d.failed.errorMessage ?? "Azure Monitor reported an error for this metric." }
      : { code: "MetricMissing", message: `Azure Monitor returned no entry for ${info.name}.` };
    return { ...base, value: null, previous: null, points: [], series: [], hiddenSeries: 0, notes: [], provenance: provenance("not computed"), error };
  }

  let overall = windowValue(d.all, ask.aggregation);
  // a class was split by StatusCode (its filter says eq '*') and kept here: the method says which series
  const kept = ask.status?.kind === "class" ? `the ${ask.status.label} series'` : undefined;
  let method = methodText(ask.aggregation, overall.points, interval, kept);
  const full = overall.needsFull ? checkResponse(plan, "full-window", planned, responses) : undefined;
  if (full) {
    overall = windowValue(combineAll(groupSeries(findMetric(full, ask.metric)?.timeseries ?? [], ask.status, splitBy)), ask.aggregation);
    method = `one FULL point${kept === undefined ? "" : ` of ${kept.replace(/'$/, "")}`} from Azure Monitor (points came without counts)`;
  }
  let previous = windowValue(d.prevAll, ask.aggregation).value;

  // where the same requests had traffic, a status filter that matched nothing is a real zero (no 429s)
  const seen = trafficSeen(plan, ask, [planned], entry.timeseries, responses);
  const prevSeen = trafficSeen(plan, ask, d.previous, d.previous.flatMap((p) => findMetric(responses.get(p)!, ask.metric)?.timeseries ?? []), responses);
  if (overall.value === null && seen.size > 0 && ask.status) {
    overall = { value: 0, needsFull: false, points: 0 };
    method = `0: no ${ask.status.kind === "exact" ? ask.status.code : ask.status.label} calls, while the same requests without the StatusCode filter had data`;
  }
  if (previous === null && prevSeen.size > 0 && ask.status) previous = 0;
  const noBaseline = beyondRetention(plan) || !d.comparable;

  // each figure (headline or split row) from its points, the one way its catalog entry says
  const coveredMinutes = d.coverage.coveredMs / 60_000;
  const figureOf = (value: number | null, num: readonly RawPoint[], den: readonly RawPoint[]): Derived => {
    if (fig === undefined) return { value };
    return DERIVE[fig.kind](fig, { value, num, den, minutes: coveredMinutes });
  };
  const headline = figureOf(overall.value, d.all, combineAll(d.whole));
  const prevHeadline = noBaseline ? { value: null } : figureOf(previous, d.prevAll, combineAll(d.prevWhole));
  if (fig) method = derivedMethod(fig, headline, overall.points, interval, plan.zone, method, kept);

  let series: SeriesResult[];
  let hidden = 0;
  if (splitBy === undefined) {
    series = [{ dimensions: {}, value: headline.value, previous: prevHeadline.value, points: toPoints(d.all, ask.aggregation) }];
  } else {
    const keys = new Set([...d.groups.keys(), ...seen, ...(fig?.kind === "share" ? d.whole.keys() : [])]);
    const rowTotal = (g: Map<string, RawPoint[]>, seenKeys: Set<string>, key: string) => {
      const pts = g.get(key);
      return pts ? windowValue(pts, ask.aggregation).value : seenKeys.has(key) && ask.status ? 0 : null;
    };
    const rows = [...keys].map((key) => ({
      dimensions: { [splitBy]: key },
      value: figureOf(rowTotal(d.groups, seen, key), d.groups.get(key) ?? [], d.whole.get(key) ?? []).value,
      previous: noBaseline ? null : figureOf(rowTotal(d.prevGroups, prevSeen, key), d.prevGroups.get(key) ?? [], d.prevWhole.get(key) ?? []).value,
      points: toPoints(d.groups.get(key) ?? [], ask.aggregation),
    }));
    const sign = question.order === "asc" ? 1 : -1;
    // rows without data go last whichever way the figures are ranked
    rows.sort((a, b) => (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) || sign * ((a.value ?? 0) - (b.value ?? 0)));
    const top = question.top ?? DEFAULT_TOP;
    hidden = Math.max(0, rows.length - top);
    series = rows.slice(0, top);
  }
  const notes = [...latencyNote(d, base.label, headline.value), ...(d.comparable ? [] : [`${base.label}: no change shown; data is more than ${FRESHNESS_SPAN_MINUTES} minutes late, so the baseline can't be cut to the same length.`])];
  if (headline.peakAt) notes.push(`${base.label}: ${fmt(headline.value ?? 0)} in the minute from ${minuteIn(headline.peakAt, plan.zone)}.`);
  const capped = entry.timeseries.length >= SPLIT_FETCH_TOP;
  return {
    ...base,
    value: headline.value,
    previous: prevHeadline.value,
    ...(headline.parts ? { parts: headline.parts } : {}),
    ...(headline.peakAt ? { peakAt: iso(headline.peakAt) } : {}),
    points: toPoints(d.all, ask.aggregation),
    series,
    hiddenSeries: hidden,
    notes,
    provenance: provenance(capped ? `${method}; Azure returned its maximum of ${SPLIT_FETCH_TOP} series, so the smallest may be missing` : method),
  };
}

interface DeriveInput {
  /** The window figure of the ask's own metric and aggregation (zero where traffic was seen). */
  readonly value: number | null;
  /** Points of the ask's status, and of every status. */
  readonly num: readonly RawPoint[];
  readonly den: readonly RawPoint[];
  readonly minutes: number;
}

const DERIVE: Readonly<Record<FigureInfo["kind"], (f: FigureInfo, x: DeriveInput) => Derived>> = {
  share: (_, x) => share(x.num, x.den),
  "per-minute": (_, x) => ({ value: perMinute(x.value, x.minutes) }),
  "peak-minute": (f, x) => peakMinute(x.num, f.aggregation),
};

function derivedMethod(fig: FigureInfo, d: Derived, points: number, interval: string, zone: string, plain: string, kept: string | undefined): string {
  if (d.parts) return `${fmt(d.parts.numerator)} of ${fmt(d.parts.denominator)} calls; ${fig.formula}`;
  if (d.peakAt) return `max of ${kept === undefined ? "" : `${kept} `}${points} PT1M points, in the minute from ${minuteIn(d.peakAt, zone)}; ${fig.formula}`;
  return `${plain} (${interval}); ${fig.formula}`;
}

/** Latency of successful calls, and one line when all calls' latency differs materially, with why. */
function latencyNote(d: Drawn, label: string, value: number | null): string[] {
  const s = d.ask.status;
  if (value === null || d.ask.aggregation !== "Average" || d.ask.figure !== undefined || s?.kind !== "class" || s.prefixes.join() !== "2") return [];
  const everything = windowValue(combineAll(d.whole), "Average").value;
  if (everything === null || Math.abs(everything - value) / value <= ALL_STATUS_NOTE_RATIO) return [];
  const others = combineAll(groupSeries(d.entry?.timeseries ?? [], NOT_SUCCESSFUL, undefined));
  const othersAvg = windowValue(others, "Average").value;
  const othersCount = windowValue(others, "Count").value;
  const why = othersAvg === null ? "" : `, because ${othersCount === null ? "the" : fmt(othersCount)} non-2xx calls were answered in ${fmt(othersAvg)} ms on average`;
  return [`${label.replace(/ \(successful calls\)/, "")} is of successful (2xx) calls: ${fmt(value)} ms; over all calls it is ${fmt(everything)} ms${why}.`];
}

function minuteIn(t: Date, zone: string): string {
  return describeInZone({ start: t, end: t }, zone).replace(/–\S+/, "");
}

function fmt(v: number): string {
  return v.toLocaleString("en-US", { maximumFractionDigits: v >= 100 ? 0 : 1 });
}

function combineAll(groups: Map<string, RawPoint[]>): RawPoint[] {
  return combineSeries(groups.size > 0 ? [...groups.values()] : [[]]);
}

function mergeGroups(maps: readonly Map<string, RawPoint[]>[]): Map<string, RawPoint[]> {
  const out = new Map<string, RawPoint[][]>();
  for (const m of maps) for (const [k, v] of m) out.set(k, [...(out.get(k) ?? []), v]);
  return new Map([...out].map(([k, v]) => [k, combineSeries(v)]));
}

/**
 * Split keys ("" when unsplit) that had traffic in the requests a status ask was drawn from.
 * A class ask split by StatusCode already has every code Azure saw; an exact code reads the
 * plan's traffic check (the same request without the StatusCode clause), when it ran.
 */
function trafficSeen(plan: Plan, ask: MetricAsk, of: readonly PlannedRequest[], timeseries: readonly TimeSeriesElement[], responses: Responses): Set<string> {
  if (ask.status === undefined || ask.aggregation !== "Total") return new Set();
  const splitBy = plan.question.splitBy;
  const keysWithData = (series: readonly TimeSeriesElement[]) => new Set(series.filter((ts) => (ts.data ?? []).some((p) => typeof p.total === "number" && p.total > 0)).map((ts) => (splitBy === undefined ? "" : (dimensionsOf(ts).get(splitBy) ?? "(none)"))));
  if (ask.status.kind === "class") {
    const keys = keysWithData(timeseries);
    // split by StatusCode itself: only the codes of the class are rows ("errors by status code" has no 200 row)
    const prefixes = ask.status.prefixes;
    return splitBy === "StatusCode" ? new Set([...keys].filter((k) => prefixes.some((p) => k.startsWith(p)))) : keys;
  }
  return new Set(
    of.flatMap((o) => {
      const res = checkResponse(plan, "traffic", o, responses, ask.metric);
      return res ? [...keysWithData(findMetric(res, ask.metric)?.timeseries ?? [])] : [];
    }),
  );
}

/** Azure Monitor keeps 93 days: a previous window older than that has no data to compare with. */
function beyondRetention(plan: Plan): boolean {
  return plan.window.end.getTime() - plan.previous.start.getTime() > RETENTION_DAYS * 86_400_000;
}

export function findMetric(res: MetricsResponse, name: string): AzureMetric | undefined {
  return res.value.find((m) => m.name.value.toLowerCase() === name.toLowerCase());
}

/** Keeps the series the ask wants (e.g. non-2xx codes) and merges them by the user's split. */
export function groupSeries(timeseries: readonly TimeSeriesElement[], status: StatusSelector | undefined, splitBy: Dimension | undefined, keep?: (time: Date) => boolean): Map<string, RawPoint[]> {
  const buckets = new Map<string, RawPoint[][]>();
  for (const ts of timeseries) {
    const dims = dimensionsOf(ts);
    // an exact code went into $filter; a class was split by StatusCode and is kept here
    if (status?.kind === "class" && !statusMatches(status, dims.get("StatusCode") ?? "")) continue;
    const key = splitBy === undefined ? "" : (dims.get(splitBy) ?? "(none)");
    const list = buckets.get(key) ?? [];
    const points = (ts.data ?? []).map((p) => ({ time: new Date(p.timeStamp), average: p.average, minimum: p.minimum, maximum: p.maximum, total: p.total, count: p.count }));
    list.push(keep ? points.filter((p) => keep(p.time)) : points);
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

/** `kept`: the series kept after a StatusCode split ("the 2xx series'"), said before the points. */
function methodText(agg: Aggregation, n: number, interval: string, kept?: string): string {
  const of = `${kept === undefined ? "" : `${kept} `}${n} ${interval} point${n === 1 ? "" : "s"}`;
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
