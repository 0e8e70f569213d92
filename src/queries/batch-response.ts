// A metrics:getBatch answer made into the Metrics - List responses the per-resource path returns
// (arm-monitor's Response), so figures, family read-back, visible-series and the response cache
// read a batched figure exactly as an unbatched one. @azure/monitor-query-metrics 1.0 hands back
// display names ("Azure OpenAI Requests") as `metric.name`: metrics are matched by the order they
// were asked in (the service answers in that order), accounts by their resource id.
import type { MetricsQueryResult } from "@azure/monitor-query-metrics";
import type { MetricsResponse } from "./azure-metrics.ts";
import { metricsResponseProblem } from "./metrics-response-shape.ts";
import type { MetricsRequest } from "./plan.ts";
import { iso } from "./time-window.ts";

/** What is wrong with a metrics:getBatch body, or undefined when the bot can read it: each entry must read as a Metrics - List body and name its account. */
export function batchResponseProblem(body: unknown): string | undefined {
  const values = (body as { values?: unknown } | null)?.values;
  if (!Array.isArray(values)) return "values: not a list";
  for (const [i, v] of values.entries()) {
    if (typeof (v as { resourceid?: unknown } | null)?.resourceid !== "string") return `values.${i}.resourceid: not a string`;
    const problem = metricsResponseProblem(v);
    if (problem !== undefined) return `values.${i}.${problem}`;
  }
  return undefined;
}

/** The batch's entry for each account, by lower-cased resource id. */
export function byResource(results: readonly MetricsQueryResult[]): Map<string, MetricsQueryResult> {
  return new Map(results.flatMap((r) => (r.resourceId === undefined ? [] : [[r.resourceId.toLowerCase(), r] as const])));
}

/**
 * `result` as the Metrics - List response to `req`: each metric named by its REST name (the
 * request's, by position), dimension names lower-cased as Metrics - List writes them.
 */
export function asListResponse(result: MetricsQueryResult, req: MetricsRequest): MetricsResponse {
  const asked = req.metricnames.split(",");
  const { startTime, endTime } = result.timespan as { startTime?: Date; endTime?: Date };
  return {
    timespan: startTime !== undefined && endTime !== undefined && !Number.isNaN(startTime.getTime()) && !Number.isNaN(endTime.getTime()) ? `${iso(startTime)}/${iso(endTime)}` : req.timespan,
    ...(result.granularity === undefined ? {} : { interval: result.granularity }),
    ...(result.namespace === undefined ? {} : { namespace: result.namespace }),
    ...(result.resourceRegion === undefined ? {} : { resourceregion: result.resourceRegion }),
    value: result.metrics.map((m, i) => ({
      id: m.id,
      type: m.type,
      name: { value: asked[i] ?? m.name, localizedValue: m.name },
      ...(m.description === undefined ? {} : { displayDescription: m.description }),
      ...(m.errorCode === undefined ? {} : { errorCode: m.errorCode }),
      ...(m.errorMessage === undefined ? {} : { errorMessage: m.errorMessage }),
      unit: m.unit,
      timeseries: m.timeseries.map((ts) => ({
        ...(ts.metadatavalues === undefined ? {} : { metadatavalues: ts.metadatavalues.map((mv) => ({ ...(mv.name === undefined ? {} : { name: { value: mv.name.toLowerCase(), localizedValue: mv.name } }), ...(mv.value === undefined ? {} : { value: mv.value }) })) }),
        ...(ts.data === undefined ? {} : { data: ts.data }),
      })),
    })),
  };
}
