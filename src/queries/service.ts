// The query layer's front door: knows the resources, plans a Question, runs the plan through
// the one Azure client, and turns the responses into a QueryAnswer with provenance.
import type { Metric as AzureMetric, TimeSeriesElement } from "@azure/arm-monitor";
import { DIMENSIONS, metric, type Aggregation, type Dimension } from "./catalog.ts";
import { combineSeries, pointValue, windowValue, type RawPoint } from "./aggregate.ts";
import type { AzureMetrics, MetricsResponse } from "./azure-metrics.ts";
import { buildFilter } from "./filter.ts";
import { planQuestion, SPLIT_FETCH_TOP, type Plan, type PlannedRequest } from "./plan.ts";
import { DEFAULT_TOP, type MetricAsk, type Question } from "./question.ts";
import { resourceName, type Resource } from "./resources.ts";
import type { MetricResult, Point, QueryAnswer, SeriesResult } from "./result.ts";
import { describeInZone, iso, isoSpan, RETENTION_DAYS } from "./time-window.ts";

export interface QueryServiceOptions {
  readonly metrics: AzureMetrics;
  readonly resourceIds: readonly string[];
  readonly zone: string;
  readonly now?: () => Date;
}

const DIMENSION_BY_LOWER = new Map<string, Dimension>(DIMENSIONS.map((d) => [d.toLowerCase(), d]));

export class QueryService {
  readonly zone: string;
  private readonly metrics: AzureMetrics;
  private readonly resourceIds: readonly string[];
  private readonly now: () => Date;

  constructor(options: QueryServiceOptions) {
    this.metrics = options.metrics;
    this.resourceIds = options.resourceIds;
    this.zone = options.zone;
    this.now = options.now ?? (() => new Date());
  }

  get configuredResourceIds(): readonly string[] {
    return this.resourceIds;
  }

  /** The configured resources with the deployments Azure reports for each. */
  async resources(): Promise<Resource[]> {
    return Promise.all(this.resourceIds.map(async (id) => ({ id, name: resourceName(id), deployments: await this.metrics.deployments(id) })));
  }

  async deployments(): Promise<string[]> {
    const rs = await this.resources();
    return [...new Set(rs.flatMap((r) => r.deployments))].sort();
  }

  async plan(question: Question, now: Date = this.now(), zone: string = this.zone): Promise<Plan> {
    return planQuestion(question, await this.resources(), now, zone);
  }

  /** `zone` overrides the configured one (a schedule's own zone decides what "yesterday" is). */
  async answer(question: Question, now: Date = this.now(), zone: string = this.zone): Promise<QueryAnswer> {
    const plan = await this.plan(question, now, zone);
    const responses = await Promise.all(plan.requests.map((p) => this.metrics.query(p.request)));
    const byRequest = new Map<PlannedRequest, MetricsResponse>(plan.requests.map((p, i) => [p, responses[i]!]));
    const pending: Promise<MetricResult>[] = [];
    for (const resource of plan.resources) {
      for (const [i, ask] of question.asks.entries()) {
        const current = plan.requests.find((p) => p.resource === resource && p.request.window === "current" && p.asks.includes(i));
        const previous = plan.requests.find((p) => p.resource === resource && p.request.window === "previous" && p.asks.includes(i));
        if (!current || !previous) continue;
        pending.push(this.buildResult(plan, ask, current, byRequest.get(current)!, byRequest.get(previous)!));
      }
    }
    // follow-up requests (zero checks, FULL fallbacks) of different figures run side by side
    const results = await Promise.all(pending);
    return {
      topic: question.topic,
      zone,
      window: { start: iso(plan.window.start), end: iso(plan.window.end), label: plan.window.label },
      previousWindow: { start: iso(plan.previous.start), end: iso(plan.previous.end) },
      results,
      notes: [...question.notes, ...legacyNotes(question.asks)],
      requests: plan.requests.map((p) => p.request),
    };
  }

  /** The one Azure client, for query shapes other than a Question (the daily summary). */
  get azure(): AzureMetrics {
    return this.metrics;
  }

  private async buildResult(plan: Plan, ask: MetricAsk, planned: PlannedRequest, res: MetricsResponse, prevRes: MetricsResponse): Promise<MetricResult> {
    const info = metric(ask.metric);
    const question = plan.question;
    const req = planned.request;
    const entry = findMetric(res, ask.metric);
    const prevEntry = findMetric(prevRes, ask.metric);
    const splitBy = question.splitBy;
    const interval = res.interval ?? req.interval;
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
    const failed = [entry, prevEntry].find((e) => e !== undefined && e.errorCode !== undefined && e.errorCode !== "Success");
    if (!entry || failed) {
      const error = failed
        ? { code: failed.errorCode ?? "Error", message: failed.errorMessage ?? "Azure Monitor reported an error for this metric." }
        : { code: "MetricMissing", message: `Azure Monitor returned no entry for ${info.name}.` };
      return { ...base, value: null, previous: null, points: [], series: [], hiddenSeries: 0, provenance: provenance("not computed"), error };
    }

    const groups = groupSeries(entry.timeseries, ask, splitBy);
    const prevGroups = groupSeries(prevEntry?.timeseries ?? [], ask, splitBy);
    const all = combineSeries([...groups.values()].length > 0 ? [...groups.values()] : [[]]);
    let overall = windowValue(all, ask.aggregation);
    let method = methodText(ask.aggregation, overall.points, interval);
    if (overall.needsFull) {
      const full = await this.metrics.query({ ...req, interval: "FULL" });
      const fullAll = combineSeries([...groupSeries(findMetric(full, ask.metric)?.timeseries ?? [], ask, splitBy).values()]);
      overall = windowValue(fullAll, ask.aggregation);
      method = "one FULL point from Azure Monitor (points came without counts)";
    }
    const prevAll = combineSeries([...prevGroups.values()].length > 0 ? [...prevGroups.values()] : [[]]);
    let previous = windowValue(prevAll, ask.aggregation).value;

    // A status filter that matches nothing comes back as no series at all. Where the same
    // requests had traffic, that is a real zero (no 429s), not missing data.
    const none = Promise.resolve(new Set<string>());
    const [seen, prevSeen] = await Promise.all([
      overall.value === null || splitBy !== undefined ? this.trafficSeen(planned, ask, splitBy, entry.timeseries, req.timespan) : none,
      previous === null || splitBy !== undefined ? this.trafficSeen(planned, ask, splitBy, prevEntry?.timeseries ?? [], isoSpan(plan.previous)) : none,
    ]);
    if (overall.value === null && seen.size > 0 && ask.status) {
      overall = { value: 0, needsFull: false, points: 0 };
      method = `0: no ${ask.status.kind === "exact" ? ask.status.code : ask.status.label} calls, while the same requests without the StatusCode filter had data`;
    }
    if (previous === null && prevSeen.size > 0 && ask.status) previous = 0;
    if (beyondRetention(plan)) previous = null;

    let series: SeriesResult[];
    let hidden = 0;
    if (splitBy === undefined) {
      series = [{ dimensions: {}, value: overall.value, previous, points: toPoints(all, ask.aggregation) }];
    } else {
      const keys = new Set([...groups.keys(), ...seen]);
      const figure = (g: Map<string, RawPoint[]>, seenKeys: Set<string>, key: string) => {
        const pts = g.get(key);
        return pts ? windowValue(pts, ask.aggregation).value : seenKeys.has(key) && ask.status ? 0 : null;
      };
      const rows = [...keys].map((key) => ({
        dimensions: { [splitBy]: key },
        value: figure(groups, seen, key),
        previous: beyondRetention(plan) ? null : figure(prevGroups, prevSeen, key),
        points: toPoints(groups.get(key) ?? [], ask.aggregation),
      }));
      const sign = plan.question.order === "asc" ? 1 : -1;
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
      points: toPoints(all, ask.aggregation),
      series,
      hiddenSeries: hidden,
      provenance: provenance(capped ? `${method}; Azure returned its maximum of ${SPLIT_FETCH_TOP} series, so the smallest may be missing` : method),
    };
  }

  /**
   * Split keys ("" when unsplit) that had traffic in the requests a status ask was drawn from.
   * A class ask split by StatusCode already has every code Azure saw; an exact code asks Azure
   * once more without the StatusCode clause, as one FULL point.
   */
  private async trafficSeen(planned: PlannedRequest, ask: MetricAsk, splitBy: Dimension | undefined, timeseries: readonly TimeSeriesElement[], timespan: string): Promise<Set<string>> {
    if (ask.status === undefined || ask.aggregation !== "Total") return new Set();
    const keysWithData = (series: readonly TimeSeriesElement[]) => new Set(series.filter((ts) => (ts.data ?? []).some((d) => typeof d.total === "number" && d.total > 0)).map((ts) => (splitBy === undefined ? "" : (dimensionsOf(ts).get(splitBy) ?? "(none)"))));
    if (ask.status.kind === "class") {
      const keys = keysWithData(timeseries);
      // split by StatusCode itself: only the codes of the class are rows ("errors by status code" has no 200 row)
      const prefixes = ask.status.prefixes;
      return splitBy === "StatusCode" ? new Set([...keys].filter((k) => prefixes.some((p) => k.startsWith(p)))) : keys;
    }
    const clauses = planned.clauses.filter((c) => c.dimension !== "StatusCode");
    const filter = buildFilter(clauses);
    const { api, resourceId, top, orderby, window } = planned.request;
    const res = await this.metrics.query({ api, resourceId, window, metricnames: ask.metric, aggregation: "Total", interval: "FULL", timespan, ...(filter === undefined ? {} : { filter }), ...(top === undefined ? {} : { top }), ...(orderby === undefined ? {} : { orderby }) });
    return keysWithData(findMetric(res, ask.metric)?.timeseries ?? []);
  }
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
    list.push((ts.data ?? []).map((d) => ({ time: new Date(d.timeStamp), average: d.average, minimum: d.minimum, maximum: d.maximum, total: d.total, count: d.count })));
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

function legacyNotes(asks: readonly MetricAsk[]): string[] {
  const names = [...new Set(asks.map((a) => a.metric))];
  return names.flatMap((n) => {
    const l = metric(n).legacy;
    return l ? [`${n} is ${l.note}.`] : [];
  });
}
