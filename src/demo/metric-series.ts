// Rolls per-minute cell samples up into time series: cells that pass the filter are grouped by
// the split dimensions' values, and each group sums counts and sums, and keeps the extremes, per
// bucket. One pass over a deployment's minutes serves every metric of a request, so they share
// each simulated minute; whole hours inside one bucket come from an hourly cache after the first time.
import type { Aggregation, Dimension, MetricInfo } from "../queries/catalog.ts";
import { DEMO_DEPLOYMENTS, type DemoDeployment } from "./demo-resource.ts";
import type { DataWindow } from "./ingestion.ts";
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
 * 24 MB of samples. Every metric of every deployment takes ~960 numbers an hour, so the whole
 * 30-day history (~0.7 M) fits several times over; a process answering for months stays within
 * the cap because the least recently read hours go first.
 */
export const DEFAULT_HOUR_CACHE_VALUES = 3_000_000;

/**
 * Per-cell samples summed over whole hours, by metric, deployment and hour. An hour is cached only
 * once all of it is visible, and its numbers depend only on the seed and the absolute hour, so a
 * repeated 30-day question reads 720 hours instead of simulating 43,200 minutes again, and an
 * evicted hour is simply simulated again with the same result. Bounded by `maxValues` numbers.
 */
export class HourlySamples {
  /** Insertion order is recency order: a read moves the entry to the end, eviction takes the front. */
  private readonly hours = new Map<string, Float64Array>();
  private readonly modelIds = new Map<MetricModel, number>();
  private readonly maxValues: number;
  private held = 0;

  constructor(maxValues = DEFAULT_HOUR_CACHE_VALUES) {
    this.maxValues = maxValues;
  }

  /** Numbers held now; never more than the cap. */
  get size(): number {
    return this.held;
  }

  get(model: MetricModel, deployment: DemoDeployment, hour: number): Float64Array | undefined {
    const key = this.key(model, deployment, hour);
    const samples = this.hours.get(key);
    if (samples !== undefined) {
      this.hours.delete(key);
      this.hours.set(key, samples);
    }
    return samples;
  }

  set(model: MetricModel, deployment: DemoDeployment, hour: number, samples: Float64Array): void {
    if (samples.length > this.maxValues) return;
    const key = this.key(model, deployment, hour);
    const old = this.hours.get(key);
    if (old !== undefined) {
      this.hours.delete(key);
      this.held -= old.length;
    }
    for (const [oldest, evicted] of this.hours) {
      if (this.held + samples.length <= this.maxValues) break;
      this.hours.delete(oldest);
      this.held -= evicted.length;
    }
    this.hours.set(key, samples);
    this.held += samples.length;
  }

  private key(model: MetricModel, deployment: DemoDeployment, hour: number): string {
    let id = this.modelIds.get(model);
    if (id === undefined) {
      id = this.modelIds.size;
      this.modelIds.set(model, id);
    }
    return `${id}/${deployment.name}/${hour}`;
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
  visible: DataWindow,
  /** Metadata queries: only which series have samples matters, so each deployment is walked back from the end until all of its have one. */
  untilSeen = false,
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

  const first = Math.max(buckets.start, visible.start);
  const last = Math.min(buckets.end, visible.end);
  const bucketOf = (minute: number) => Math.floor((minute - buckets.start) / buckets.step) * SAMPLE_WIDTH;
  for (const walk of walks.values()) {
    if (untilSeen && buckets.count === 1) {
      walkBackUntilSeen(traffic, hourly, walk, first, last);
      continue;
    }
    let minute = first;
    while (minute < last) {
      const bucket = bucketOf(minute);
      const wholeHour = minute % HOUR_MS === 0 && minute + HOUR_MS <= last && bucketOf(minute + HOUR_MS - MINUTE_MS) === bucket;
      if (wholeHour) {
        addHour(traffic, hourly, walk, minute, bucket);
        minute += HOUR_MS;
      } else {
        traffic.move(walk.cursor, minute);
        for (const route of walk.routes) {
          clearSamples(route.scratch);
          route.model.sample(walk.cursor, route.scratch);
          addSamples(route, route.scratch, bucket);
        }
        minute += MINUTE_MS;
      }
    }
  }
  return results;
}

/** One-bucket walk from `last` back towards `first`, an hour at a time, stopping once every series the walk feeds has a sample. */
function walkBackUntilSeen(traffic: DemoTraffic, hourly: HourlySamples, walk: DeploymentWalk, first: number, last: number): void {
  const seen = () => walk.routes.every((r) => r.pointsOf.every((p) => p === undefined || (p[0] ?? 0) > 0));
  let end = last;
  while (end > first && !seen()) {
    const start = Math.max(first, Math.floor((end - 1) / HOUR_MS) * HOUR_MS);
    if (start % HOUR_MS === 0 && end - start === HOUR_MS) {
      addHour(traffic, hourly, walk, start, 0);
    } else {
      for (let minute = start; minute < end; minute += MINUTE_MS) {
        traffic.move(walk.cursor, minute);
        for (const route of walk.routes) {
          clearSamples(route.scratch);
          route.model.sample(walk.cursor, route.scratch);
          addSamples(route, route.scratch, 0);
        }
      }
    }
    end = start;
  }
}

/** Adds one whole visible hour to every route, simulating it only for metrics not cached yet. */
function addHour(traffic: DemoTraffic, hourly: HourlySamples, walk: DeploymentWalk, hourStart: number, bucket: number): void {
  const hour = hourStart / HOUR_MS;
  const sums = walk.routes.map((r) => hourly.get(r.model, walk.deployment, hour));
  if (sums.some((s) => s === undefined)) {
    const missing = walk.routes.flatMap((route, i) => (sums[i] === undefined ? [{ route, index: i, acc: emptyPoints(route.pointsOf.length) }] : []));
    for (let minute = hourStart; minute < hourStart + HOUR_MS; minute += MINUTE_MS) {
      traffic.move(walk.cursor, minute);
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
