// Turns accumulated series into the Metrics - List JSON body, field for field as the service
// writes it: lower-case dimension names in metadatavalues, only the requested aggregations per
// point, zeros for count metrics where the account had no events, nothing for averages.
import { METRIC_NAMESPACE, type Aggregation, type Dimension, type MetricInfo } from "../queries/catalog.ts";
import { DEMO_REGION } from "./demo-resource.ts";
import { hasSamples, spanValue, type Buckets, type MetricSeries, type Series } from "./metric-series.ts";
import { SAMPLE_WIDTH } from "./metric-cells.ts";
import type { MetricsQuery } from "./metrics-query.ts";

export interface WirePoint {
  timeStamp: string;
  average?: number;
  minimum?: number;
  maximum?: number;
  total?: number;
  count?: number;
}

export interface WireTimeSeries {
  metadatavalues: { name: { value: string; localizedValue: string }; value: string }[];
  data?: WirePoint[];
}

export interface WireMetric {
  id: string;
  type: "Microsoft.Insights/metrics";
  name: { value: string; localizedValue: string };
  displayDescription: string;
  unit: string;
  timeseries: WireTimeSeries[];
  errorCode: "Success";
}

export interface WireMetricsResponse {
  cost: number;
  timespan: string;
  interval: string;
  namespace: string;
  resourceregion: string;
  value: WireMetric[];
}

/** The order the service writes a point's fields in. */
const POINT_FIELDS: readonly [Aggregation, "average" | "minimum" | "maximum" | "total" | "count"][] = [
  ["Average", "average"],
  ["Minimum", "minimum"],
  ["Maximum", "maximum"],
  ["Total", "total"],
  ["Count", "count"],
];

export interface ResponseContext {
  readonly resourceId: string;
  readonly query: MetricsQuery;
  readonly split: readonly Dimension[];
  readonly buckets: Buckets;
  /** The simulated account's data window: buckets outside it hold no zeros either. */
  readonly dataStart: number;
  readonly dataEnd: number;
}

export function metricsResponse(ctx: ResponseContext, results: readonly MetricSeries[]): WireMetricsResponse {
  const { query, buckets } = ctx;
  return {
    cost: Math.round((buckets.end - buckets.start) / 60_000) * results.length,
    timespan: `${iso(query.start)}/${iso(query.end)}`,
    interval: query.interval,
    namespace: METRIC_NAMESPACE,
    resourceregion: DEMO_REGION,
    value: results.map((r) => wireMetric(ctx, r)),
  };
}

function wireMetric(ctx: ResponseContext, result: MetricSeries): WireMetric {
  const { metric } = result;
  return {
    id: `${ctx.resourceId}/providers/Microsoft.Insights/metrics/${metric.name}`,
    type: "Microsoft.Insights/metrics",
    name: { value: metric.name, localizedValue: metric.displayName },
    displayDescription: metric.description,
    unit: metric.unit,
    timeseries: chosenSeries(ctx, result).map((s) => wireSeries(ctx, metric, s)),
    errorCode: "Success",
  };
}

/**
 * Unsplit: the one merged series, or none when the filter matches nothing the account has.
 * Split: the series with data in the span, ranked by `orderby` and cut to `top`.
 */
function chosenSeries(ctx: ResponseContext, result: MetricSeries): readonly Series[] {
  const { query, split } = ctx;
  if (split.length === 0) {
    const merged = result.series[0];
    if (merged !== undefined) return [merged];
    return query.filter.length === 0 ? [{ key: [], points: new Float64Array(0) }] : [];
  }
  const order = query.orderBy ?? { aggregation: query.aggregations?.[0] ?? result.metric.defaultAggregation, descending: true };
  return result.series
    .filter((s) => hasSamples(s.points))
    .map((s) => ({ s, rank: spanValue(s.points, order.aggregation), name: s.key.join("\u0000") }))
    .sort((a, b) => (a.rank === b.rank ? a.name.localeCompare(b.name) : order.descending ? b.rank - a.rank : a.rank - b.rank))
    .slice(0, query.top)
    .map((r) => r.s);
}

function wireSeries(ctx: ResponseContext, metric: MetricInfo, series: Series): WireTimeSeries {
  const metadatavalues = ctx.split.map((dim, i) => ({ name: { value: dim.toLowerCase(), localizedValue: dim }, value: series.key[i] ?? "" }));
  if (ctx.query.resultType === "Metadata") return { metadatavalues };
  return { metadatavalues, data: wirePoints(ctx, metric, series.points) };
}

function wirePoints(ctx: ResponseContext, metric: MetricInfo, points: Float64Array): WirePoint[] {
  const { buckets } = ctx;
  const aggregations = ctx.query.aggregations ?? [metric.defaultAggregation];
  // Count metrics report 0 for a quiet minute; gauges and latencies report nothing.
  const zeroWhenEmpty = metric.defaultAggregation === "Total";
  const out: WirePoint[] = [];
  for (let b = 0; b < buckets.count; b++) {
    const from = buckets.start + b * buckets.step;
    const to = Math.min(from + buckets.step, buckets.end);
    const inData = from < ctx.dataEnd && to > ctx.dataStart;
    const o = b * SAMPLE_WIDTH;
    const count = points[o] ?? 0;
    const sum = points[o + 1] ?? 0;
    const point: WirePoint = { timeStamp: iso(from) };
    for (const [agg, field] of POINT_FIELDS) {
      if (!aggregations.includes(agg)) continue;
      if (count > 0) {
        point[field] = valueOf(agg, count, sum, points[o + 2] ?? 0, points[o + 3] ?? 0);
      } else if (zeroWhenEmpty && inData && (agg === "Total" || agg === "Count")) {
        point[field] = 0;
      }
    }
    out.push(point);
  }
  return out;
}

function valueOf(agg: Aggregation, count: number, sum: number, min: number, max: number): number {
  switch (agg) {
    case "Total":
      return sum;
    case "Count":
      return count;
    case "Average":
      return sum / count;
    case "Minimum":
      return min;
    case "Maximum":
      return max;
  }
}

/** ISO 8601 UTC without milliseconds, as Azure Monitor prints it. */
function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
