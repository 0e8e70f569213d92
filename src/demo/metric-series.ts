// Rolls per-minute cell samples up into time series: cells that pass the filter are grouped by
// the split dimensions' values, and each group sums counts and sums, and keeps the extremes, per
// bucket. One pass over a deployment's minutes serves every metric of a request, so they share
// each simulated minute; whole hours inside one bucket come from an hourly cache after the first time.
import type { Aggregation, Dimension, MetricInfo } from "../queries/catalog.ts";
import { DEMO_DEPLOYMENTS, type DemoDeployment } from "./demo-resource.ts";
import { clearSamples, metricModel, SAMPLE_WIDTH, type CellDimensions, type MetricModel } from "./metric-cells.ts";
import { matchesFilter, type FilterClause } from "./metric-filter.ts";
import type { MinuteTraffic } from "./minute-traffic.ts";
import { MINUTE_MS, type DemoTraffic } from "./traffic.ts";

const HOUR_MS = 3_600_000;

export interface Buckets {
  /** The first bucket's start: the requested start floored to the minute. */
  readonly start: number;
  /** End of the last whole minute of the span (exclusive). */
  readonly end: number;
  readonly step: number;
  readonly count: number;
}

/**
 * Buckets from the start minute on. A minute the span ends inside is left out, as the service
 * does: 11:05:00/11:09:59 at PT1M answers four points, not five.
 */
export function bucketsFor(start: number, end: number, step: number | "FULL"): Buckets {
  const first = Math.floor(start / MINUTE_MS) * MINUTE_MS;
  const last = Math.max(first, Math.floor(end / MINUTE_MS) * MINUTE_MS);
  if (step === "FULL") return { start: first, end: last, step: Math.max(MINUTE_MS, last - first), count: 1 };
  return { start: first, end: last, step, count: Math.ceil((last - first) / step) };
}

export interface Series {
  /** Values of the split dimensions, in split order. */
  readonly key: readonly string[];
  /** count, sum, min, max per bucket (SAMPLE_WIDTH numbers each); a count of 0 means no sample. */
  readonly points: Float64Array;
}

export interface MetricSeries {
  readonly metric: MetricInfo;
  /** Series that could exist under the filter, with or without samples in this span. */
  readonly series: readonly Series[];
}

/**
 * Per-cell samples summed over whole hours of the data window, by metric, deployment and hour.
 * Such hours never change for a given seed and anchor, so a repeated 30-day question reads 720
 * hours instead of simulating 43,200 minutes again. At most ~1.6 MB per metric for 30 days.
 */
export class HourlySamples {
  private readonly hours = new Map<MetricModel, Map<DemoDeployment, Map<number, Float64Array>>>();

  get(model: MetricModel, deployment: DemoDeployment, hour: number): Float64Array | undefined {
    return this.hours.get(model)?.get(deployment)?.get(hour);
  }

  set(model: MetricModel, deployment: DemoDeployment, hour: number, samples: Float64Array): void {
    let byDeployment = this.hours.get(model);
    if (byDeployment === undefined) {
      byDeployment = new Map();
      this.hours.set(model, byDeployment);
    }
    let byHour = byDeployment.get(deployment);
    if (byHour === undefined) {
      byHour = new Map();
      byDeployment.set(deployment, byHour);
    }
    byHour.set(hour, samples);
  }
}

interface CellRoute {
  readonly model: MetricModel;
  /** The points each of the deployment's cells adds to; undefined where the filter drops the cell. */
  readonly pointsOf: readonly (Float64Array | undefined)[];
  readonly scratch: Float64Array;
}

interface DeploymentWalk {
  readonly deployment: DemoDeployment;
  readonly cursor: MinuteTraffic;
  readonly routes: CellRoute[];
}

export function collectSeries(
  traffic: DemoTraffic,
  hourly: HourlySamples,
  metrics: readonly MetricInfo[],
  filter: readonly FilterClause[],
  split: readonly Dimension[],
  buckets: Buckets,
): MetricSeries[] {
  const walks = new Map<DemoDeployment, DeploymentWalk>();
  const results = metrics.map((metric) => {
    const model = metricModel(metric.name);
    const series: Series[] = [];
    const byKey = new Map<string, Series>();
    for (const deployment of DEMO_DEPLOYMENTS) {
      const cells = model.cells(deployment);
      const pointsOf = cells.map((cell) => {
        const valueOf = cellLookup(cell);
        if (!matchesFilter(filter, valueOf)) return undefined;
        const key = split.map((dim) => valueOf(dim));
        const id = JSON.stringify(key);
        let found = byKey.get(id);
        if (found === undefined) {
          found = { key, points: emptyPoints(buckets.count) };
          series.push(found);
          byKey.set(id, found);
        }
        return found.points;
      });
      if (pointsOf.some((p) => p !== undefined)) {
        const walk = walks.get(deployment) ?? { deployment, cursor: traffic.cursor(deployment), routes: [] };
        walk.routes.push({ model, pointsOf, scratch: new Float64Array(cells.length * SAMPLE_WIDTH) });
        walks.set(deployment, walk);
      }
    }
    return { metric, series };
  });

  const first = Math.max(buckets.start, traffic.dataStart);
  const last = Math.min(buckets.end, traffic.dataEnd);
  const bucketOf = (minute: number) => Math.floor((minute - buckets.start) / buckets.step) * SAMPLE_WIDTH;
  for (const walk of walks.values()) {
    let minute = first;
    while (minute < last) {
      const bucket = bucketOf(minute);
      const wholeHour = minute % HOUR_MS === 0 && minute + HOUR_MS <= last && bucketOf(minute + HOUR_MS - MINUTE_MS) === bucket;
      if (wholeHour) {
        addHour(traffic, hourly, walk, minute, bucket);
        minute += HOUR_MS;
      } else {
        if (traffic.move(walk.cursor, minute)) {
          for (const route of walk.routes) {
            clearSamples(route.scratch);
            route.model.sample(walk.cursor, route.scratch);
            addSamples(route, route.scratch, bucket);
          }
        }
        minute += MINUTE_MS;
      }
    }
  }
  return results;
}

/** Adds one whole data hour to every route, simulating it only for metrics not cached yet. */
function addHour(traffic: DemoTraffic, hourly: HourlySamples, walk: DeploymentWalk, hourStart: number, bucket: number): void {
  const hour = hourStart / HOUR_MS;
  const sums = walk.routes.map((r) => hourly.get(r.model, walk.deployment, hour));
  if (sums.some((s) => s === undefined)) {
    const missing = walk.routes.flatMap((route, i) => (sums[i] === undefined ? [{ route, index: i, acc: emptyPoints(route.pointsOf.length) }] : []));
    for (let minute = hourStart; minute < hourStart + HOUR_MS; minute += MINUTE_MS) {
      if (!traffic.move(walk.cursor, minute)) continue;
      for (const { route, acc } of missing) route.model.sample(walk.cursor, acc);
    }
    for (const { route, index, acc } of missing) {
      hourly.set(route.model, walk.deployment, hour, acc);
      sums[index] = acc;
    }
  }
  walk.routes.forEach((route, i) => {
    const s = sums[i];
    if (s !== undefined) addSamples(route, s, bucket);
  });
}

/** Adds each cell's sample to the series point of its bucket. */
function addSamples(route: CellRoute, samples: Float64Array, bucket: number): void {
  const { pointsOf } = route;
  for (let cell = 0; cell < pointsOf.length; cell++) {
    const o = cell * SAMPLE_WIDTH;
    const count = samples[o] ?? 0;
    const points = pointsOf[cell];
    if (points === undefined || count <= 0) continue;
    merge(points, bucket, count, samples[o + 1] ?? 0, samples[o + 2] ?? Infinity, samples[o + 3] ?? -Infinity);
  }
}

function merge(into: Float64Array, at: number, count: number, sum: number, min: number, max: number): void {
  into[at] = (into[at] ?? 0) + count;
  into[at + 1] = (into[at + 1] ?? 0) + sum;
  into[at + 2] = Math.min(into[at + 2] ?? Infinity, min);
  into[at + 3] = Math.max(into[at + 3] ?? -Infinity, max);
}

/** Dimension lookup by any casing, "" for a dimension the cell lacks. */
function cellLookup(cell: CellDimensions): (dimension: string) => string {
  const values = new Map<string, string>();
  for (const [dim, value] of Object.entries(cell)) if (value !== undefined) values.set(dim.toLowerCase(), value);
  return (dimension) => values.get(dimension.toLowerCase()) ?? "";
}

function emptyPoints(count: number): Float64Array {
  const points = new Float64Array(count * SAMPLE_WIDTH);
  clearSamples(points);
  return points;
}

/** The span-wide figure of a series for one aggregation, used by top/orderby. */
export function spanValue(points: Float64Array, aggregation: Aggregation): number {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let o = 0; o < points.length; o += SAMPLE_WIDTH) {
    const c = points[o] ?? 0;
    if (c <= 0) continue;
    count += c;
    sum += points[o + 1] ?? 0;
    min = Math.min(min, points[o + 2] ?? Infinity);
    max = Math.max(max, points[o + 3] ?? -Infinity);
  }
  switch (aggregation) {
    case "Total":
      return sum;
    case "Count":
      return count;
    case "Average":
      return count > 0 ? sum / count : 0;
    case "Minimum":
      return count > 0 ? min : 0;
    case "Maximum":
      return count > 0 ? max : 0;
  }
}

export function hasSamples(points: Float64Array): boolean {
  for (let o = 0; o < points.length; o += SAMPLE_WIDTH) if ((points[o] ?? 0) > 0) return true;
  return false;
}
