// The Metrics - List requests a quota answer reads, per resource: every deployment's per-minute
// tokens and requests (the peaks), its 429s over the window, and, when the resource has them,
// provisioned utilisation and spilled requests. All split by deployment, so one request serves every row.
import type { DeploymentLimits } from "./arm-readers.ts";
import { buildFilter, type FilterClause } from "./filter.ts";
import { CANONICAL_FAMILY, metricNameIn } from "./metric-families.ts";
import { SPLIT_FETCH_TOP, type MetricsRequest } from "./plan.ts";
import type { Resource } from "./resources.ts";
import { visibleClause } from "./scope.ts";
import { isoSpan } from "./time-window.ts";

export type QuotaRead = "usage" | "throttled" | "utilisation" | "spillover";

/** What each request is for, said in the answer's sources. */
export const QUOTA_READS: Readonly<Record<QuotaRead, string>> = {
  usage: "peak = largest PT1M point per deployment",
  throttled: "429s = sum over the window per deployment",
  utilisation: "peak = largest PT1M Maximum; average = mean of the PT1M averages",
  spillover: "spilled share = IsSpillover 'true' requests ÷ the deployment's requests",
};

export interface QuotaRequest {
  readonly read: QuotaRead;
  readonly resource: Resource;
  readonly request: MetricsRequest;
}

/** Metric names in the Azure OpenAI family; a Models-family resource is asked in its own names. */
export const QUOTA_METRICS = {
  tokens: "TokenTransaction",
  requests: "AzureOpenAIRequests",
  utilisation: "AzureOpenAIProvisionedManagedUtilizationV2",
} as const;

const BY_DEPLOYMENT: FilterClause = { dimension: "ModelDeploymentName", values: "*" };

export function quotaRequests(resource: Resource, limits: readonly DeploymentLimits[], window: { readonly start: Date; readonly end: Date }): QuotaRequest[] {
  const name = (m: string) => metricNameIn(resource.family ?? CANONICAL_FAMILY, m);
  const requests = name(QUOTA_METRICS.requests);
  const base = { api: "metrics" as const, resourceId: resource.id, timespan: isoSpan(window), top: SPLIT_FETCH_TOP, window: "current" as const };
  // a restricted asker's deployments only: the split keeps its `eq '*'`, the visible names follow
  const visible = visibleClause(resource);
  const split = (extra: readonly FilterClause[] = []) => buildFilter([BY_DEPLOYMENT, ...(visible === undefined ? [] : [visible]), ...extra])!;
  const out: QuotaRequest[] = [
    { read: "usage", resource, request: { ...base, metricnames: `${name(QUOTA_METRICS.tokens)},${requests}`, aggregation: "Total", interval: "PT1M", filter: split(), orderby: "Total desc" } },
    { read: "throttled", resource, request: { ...base, metricnames: requests, aggregation: "Total", interval: "FULL", filter: split([{ dimension: "StatusCode", values: ["429"] }]) } },
  ];
  if (limits.some((l) => l.provisioned)) {
    out.push({ read: "utilisation", resource, request: { ...base, metricnames: name(QUOTA_METRICS.utilisation), aggregation: "Maximum,Average", interval: "PT1M", filter: split() } });
  }
  if (limits.some((l) => l.spilloverDeploymentName !== undefined)) {
    out.push({ read: "spillover", resource, request: { ...base, metricnames: requests, aggregation: "Total", interval: "FULL", filter: split([{ dimension: "IsSpillover", values: ["true"] }]) } });
  }
  return out;
}
