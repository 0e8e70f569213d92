// The daily summary's requests: two Metrics - List calls per resource (HTTP requests split by
// deployment and status code; everything else split by deployment), hourly over the day and the
// day before, so the figures can be cut at the zone's local midnights (23- or 25-hour DST days).
import { DateTime } from "luxon";
import type { Aggregation } from "./catalog.ts";
import { buildFilter } from "./filter.ts";
import type { MetricsRequest } from "./plan.ts";
import { resourceName } from "./resources.ts";
import { isoSpan } from "./time-window.ts";

export type SummaryFigureId = "requests" | "successRate" | "throttled" | "serverErrors" | "ttrAvg" | "ttrMax" | "promptTokens" | "completionTokens" | "ptuPeak" | "contentBlocks";

/** The figures read from the second request, beside the HTTP request counts of the first. */
export const SUMMARY_METRICS: readonly { readonly id: SummaryFigureId; readonly metric: string; readonly aggregation: Aggregation }[] = [
  { id: "ttrAvg", metric: "AzureOpenAITimeToResponse", aggregation: "Average" },
  { id: "ttrMax", metric: "AzureOpenAITimeToResponse", aggregation: "Maximum" },
  { id: "promptTokens", metric: "ProcessedPromptTokens", aggregation: "Total" },
  { id: "completionTokens", metric: "GeneratedTokens", aggregation: "Total" },
  { id: "ptuPeak", metric: "AzureOpenAIProvisionedManagedUtilizationV2", aggregation: "Maximum" },
  { id: "contentBlocks", metric: "RAIRejectedRequests", aggregation: "Total" },
];

/** More series than any account has deployments × status codes, so none is cut off. */
const SUMMARY_TOP = 1000;

export interface LocalDay {
  readonly start: DateTime;
  readonly end: DateTime;
}

export interface SummaryPlan {
  readonly resource: { readonly id: string; readonly name: string };
  readonly zone: string;
  readonly day: LocalDay;
  readonly previousDay: LocalDay;
  /** Only these deployments are summarised (matched case-insensitively); all when absent. */
  readonly deployments?: readonly string[];
  /** [HTTP requests by deployment and status code, every other figure by deployment]: sent together. */
  readonly requests: readonly [MetricsRequest, MetricsRequest];
}

/**
 * Plans the summary of the local day before `slot` in `zone` for one resource, of `deployments`
 * only when given. `ask`: Azure is asked for those series only (each split keeps its `eq '*'`), so
 * another deployment's figures are not even read: for an asker who may see only those (scope.ts).
 */
export function planSummary(resourceId: string, slot: Date, zone: string, deployments?: readonly string[], ask: "only these" | "all" = "all"): SummaryPlan {
  const end = DateTime.fromJSDate(slot, { zone }).startOf("day");
  const start = end.minus({ days: 1 });
  const previousStart = start.minus({ days: 1 });
  const timespan = isoSpan({ start: previousStart.toUTC().toJSDate(), end: end.toUTC().toJSDate() });
  const base = { api: "metrics" as const, resourceId, interval: "PT1H", timespan, top: SUMMARY_TOP, window: "current" as const };
  const only = ask === "only these" && deployments && deployments.length > 0 ? ` and ${buildFilter([{ dimension: "ModelDeploymentName", values: [...new Set(deployments)] }])!}` : "";
  return {
    resource: { id: resourceId, name: resourceName(resourceId) },
    zone,
    day: { start, end },
    previousDay: { start: previousStart, end: start },
    ...(deployments && deployments.length > 0 ? { deployments } : {}),
    requests: [
      { ...base, metricnames: "AzureOpenAIRequests", aggregation: "Total", filter: `ModelDeploymentName eq '*' and StatusCode eq '*'${only}`, orderby: "Total desc" },
      { ...base, metricnames: [...new Set(SUMMARY_METRICS.map((m) => m.metric))].join(","), aggregation: "Average,Count,Maximum,Total", filter: `ModelDeploymentName eq '*'${only}`, orderby: "Total desc" },
    ],
  };
}
