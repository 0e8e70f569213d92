// How long a Metrics - List response stays true, and which requests are the same one. Fifty people
// asking "latency?" during an incident plan the same minute-aligned requests (QueryService.plan),
// so one Azure request answers them all; the key holds every parameter that changes the answer,
// the $filter included, so a restricted asker's request never shares an unrestricted one's response.
import type { MetricsResponse } from "./azure-metrics.ts";
import { FRESHNESS_SPAN_MINUTES, type MetricsRequest } from "./plan.ts";

export interface MetricsCachePolicy {
  /** A window ending within FRESHNESS_SPAN_MINUTES of now: its newest minutes are still arriving. */
  readonly liveTtlMs: number;
  /** A window that ended longer ago: its points no longer change. */
  readonly stableTtlMs: number;
  readonly maxEntries: number;
  /** Data points kept in all (a day of PT1M split 100 ways is 144,000). */
  readonly maxPoints: number;
}

/**
 * A live answer is at most a minute older than the question (its window already ends at the last
 * whole minute, so a newer request is planned a minute later anyway); a settled window for 10 min.
 */
export const METRICS_CACHE: MetricsCachePolicy = { liveTtlMs: 60_000, stableTtlMs: 600_000, maxEntries: 500, maxPoints: 250_000 };

/** What is sent besides the planned request; a part of the key, so that a different read is a different entry. */
export interface SentParameters {
  readonly metricnamespace: string;
  readonly resultType?: "Data" | "Metadata";
}

/** Every parameter Azure answers by; `window` (which of the plan's windows it serves) is not one. Resource ids are case-insensitive. */
export function metricsCacheKey(req: MetricsRequest, sent: SentParameters): string {
  return JSON.stringify([req.api, req.resourceId.toLowerCase(), sent.metricnamespace, sent.resultType ?? "Data", req.metricnames, req.aggregation, req.interval, req.timespan, req.filter ?? null, req.top ?? null, req.orderby ?? null]);
}

/** Live or stable by where the timespan ends; a span it cannot read (a bare duration ends now) is live. */
export function metricsTtlMs(req: MetricsRequest, now: number, policy: MetricsCachePolicy = METRICS_CACHE): number {
  const end = Date.parse(req.timespan.split("/")[1] ?? "");
  return Number.isFinite(end) && now - end >= FRESHNESS_SPAN_MINUTES * 60_000 ? policy.stableTtlMs : policy.liveTtlMs;
}

/** The cache's weight of a response: its data points (at least 1, so an empty one still counts). */
export function pointsIn(res: MetricsResponse): number {
  let points = 1;
  for (const m of res.value) for (const ts of m.timeseries ?? []) points += ts.data?.length ?? 0;
  return points;
}
