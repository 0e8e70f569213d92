// Percentiles are not in Azure Monitor platform metrics (average, min, max and totals per minute
// only); they come from the RequestResponse resource logs in AzureDiagnostics (one row per call,
// DurationMs). The bot can't run log queries yet, so a percentile question is answered with the
// query for exactly what was asked: the percentiles, the deployments, the window and the resources.
// Every value is bound as a KQL string literal, so a name can't change the query's shape.
import { PercentileNotAvailableError } from "./errors.ts";
import { kqlString } from "./logs/kql-literal.ts";
import type { Question } from "./question.ts";
import type { Resource } from "./resources.ts";
import { iso, resolveWindow } from "./time-window.ts";

// kept here for the old refusal's callers until it retires
export { kqlString };

export interface PercentileQuery {
  readonly percentiles: readonly number[];
  readonly deployments: readonly string[];
  readonly resourceIds: readonly string[];
  readonly start: Date;
  readonly end: Date;
}

/** Percentile column names: p95_ms, p99_9_ms. */
function column(p: number): string {
  return `p${String(p).replace(".", "_")}_ms`;
}

export function percentileKql(q: PercentileQuery): string {
  const list = (values: readonly string[]) => values.map(kqlString).join(", ");
  return [
    "AzureDiagnostics",
    `| where TimeGenerated >= datetime(${iso(q.start)}) and TimeGenerated < datetime(${iso(q.end)})`,
    '| where ResourceProvider == "MICROSOFT.COGNITIVESERVICES" and Category == "RequestResponse"',
    ...(q.resourceIds.length > 0 ? [`| where _ResourceId in~ (${list(q.resourceIds)})`] : []),
    '| where OperationName !has "_List"',
    // latency means successful calls, as in the metric answers
    '| where ResultSignature startswith "2"',
    "| extend deployment = tostring(parse_json(properties_s).modelDeploymentName)",
    ...(q.deployments.length > 0 ? [`| where deployment in~ (${list(q.deployments)})`] : []),
    `| summarize calls = count(), ${q.percentiles.map((p) => `${column(p)} = percentile(DurationMs, ${String(p)})`).join(", ")} by deployment`,
    `| order by ${column(q.percentiles[q.percentiles.length - 1] ?? 95)} desc`,
  ].join("\n");
}

/** The refusal for a percentile question: what can't be run yet, and the query that answers it. */
export function percentileRefusal(question: Question, resources: readonly Resource[], now: Date, zone: string): PercentileNotAvailableError {
  const window = resolveWindow(question.window, now, zone);
  const percentiles = question.percentiles ?? [95];
  const deployments = question.filters.ModelDeploymentName ?? [];
  const kql = percentileKql({ percentiles, deployments, resourceIds: resources.map((r) => r.id), start: window.start, end: window.end });
  const which = percentiles.map((p) => `p${String(p)}`).join("/");
  return new PercentileNotAvailableError(`I can't run log queries yet, and percentiles aren't in Azure Monitor metrics. Here is the query for ${which} latency of ${deployments.length > 0 ? deployments.join(", ") : "every deployment"} (${window.label}, successful calls):`, {
    hint: `${kql}\nRun it in the Log Analytics workspace the resource's diagnostic settings send RequestResponse logs to. DurationMs is the whole call (for streaming, until the stream ends), not the time to first response the latency metric measures.`,
  });
}
