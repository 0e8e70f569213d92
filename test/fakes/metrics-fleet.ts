// A fleet of Azure OpenAI accounts in one region for the metrics fake: each account's Metrics - List
// answer carries its own numbers (its index), so a figure given to the wrong account shows, and
// Azure's display names, as monitor-query-metrics hands them back. Used with batchRoute
// (azure-monitor.ts) by the batch tests of the query layer and of scheduled summaries.
import type { FakeHandler, RecordedRequest } from "./azure-monitor.ts";

export const FLEET_SUBSCRIPTION = "7c6a1b0e-3f55-4a27-9d0e-2b8f1c4d5e6f";
export const FLEET_REGION = "swedencentral";
export const account = (i: number): string => `/subscriptions/${FLEET_SUBSCRIPTION}/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai-${i}`;
export const fleet = (n: number): string[] => Array.from({ length: n }, (_, i) => account(i + 1));
/** Data lands on these two hours: 28 Nov (a summary's day at 06:00 UTC on the 29th) and the day before. */
export const DAY = "2026-11-28T12:00:00Z";
export const DAY_BEFORE = "2026-11-27T12:00:00Z";
/** An account that reported nothing on either day. */
export const SILENT = 7;

/** Display names, as Azure writes them in `localizedValue` (monitor-query-metrics hands these back as `name`). */
const DISPLAY: Record<string, string> = {
  AzureOpenAIRequests: "Azure OpenAI Requests",
  AzureOpenAITimeToResponse: "Time to Response",
  ProcessedPromptTokens: "Processed Inference Tokens",
  GeneratedTokens: "Generated Completion Tokens",
  AzureOpenAIProvisionedManagedUtilizationV2: "Provisioned-managed Utilization V2",
  RAIRejectedRequests: "Blocked Volume",
};

const dim = (name: string, value: string) => ({ name: { value: name.toLowerCase(), localizedValue: name }, value });

/** Account i: 100·i successful calls and i 429s on the day (90·i and 2·i the day before), so 101·i requests, 92·i before. */
function metricsList(req: RecordedRequest): unknown {
  const i = Number(/aoai-(\d+)\/providers/.exec(req.path)?.[1] ?? "0");
  const id = req.path.replace(/\/providers\/Microsoft\.Insights\/metrics$/, "");
  return {
    timespan: req.query.timespan ?? "",
    interval: req.query.interval ?? "",
    resourceregion: FLEET_REGION,
    value: (req.query.metricnames ?? "").split(",").map((name) => ({
      id: `${id}/providers/Microsoft.Insights/metrics/${name}`,
      type: "Microsoft.Insights/metrics",
      name: { value: name, localizedValue: DISPLAY[name] ?? name },
      unit: "Count",
      errorCode: "Success",
      timeseries: i === SILENT ? [] : seriesOf(name, i),
    })),
  };
}

function seriesOf(name: string, i: number): unknown[] {
  if (name === "AzureOpenAIRequests") {
    return [
      { metadatavalues: [dim("ModelDeploymentName", "gpt-4o"), dim("StatusCode", "200")], data: [{ timeStamp: DAY, total: 100 * i }, { timeStamp: DAY_BEFORE, total: 90 * i }] },
      { metadatavalues: [dim("ModelDeploymentName", "gpt-4o"), dim("StatusCode", "429")], data: [{ timeStamp: DAY, total: i }, { timeStamp: DAY_BEFORE, total: 2 * i }] },
    ];
  }
  if (name === "AzureOpenAITimeToResponse") {
    return [{ metadatavalues: [dim("ModelDeploymentName", "gpt-4o")], data: [{ timeStamp: DAY, average: 200 + i, count: 10, maximum: 900 + i }, { timeStamp: DAY_BEFORE, average: 180 + i, count: 10, maximum: 800 + i }] }];
  }
  if (name === "ProcessedPromptTokens") {
    return [{ metadatavalues: [dim("ModelDeploymentName", "gpt-4o")], data: [{ timeStamp: DAY, total: 1000 * i }, { timeStamp: DAY_BEFORE, total: 500 * i }] }];
  }
  return [];
}

/** The fleet's Metrics - List and metric definitions; `missing` accounts answer 404 (so a batch leaves them out). */
export function fleetMetrics(missing: ReadonlySet<string> = new Set()): FakeHandler {
  return (req) => {
    const id = req.path.replace(/\/providers\/Microsoft\.Insights\/(metrics|metricDefinitions)$/i, "");
    if (missing.has(id)) return { status: 404, body: { error: { code: "ResourceNotFound", message: `The Resource '${id}' was not found.` } } };
    if (/\/metricDefinitions$/i.test(req.path)) return { status: 200, body: { value: [] } };
    if (/\/providers\/Microsoft\.Insights\/metrics$/i.test(req.path)) return { status: 200, body: metricsList(req) };
    return { status: 404, body: { error: { code: "NotFound", message: `no route for ${req.path}` } } };
  };
}
