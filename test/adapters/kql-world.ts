// A real-shaped Azure for raw `kql` through the bot process: one Azure OpenAI resource on loopback
// ARM (metric definitions, the deployments its metrics report, a diagnostic setting sending its logs
// to a workspace, the activity log, Deployments - List) and a loopback Log Analytics query API the
// test scripts. The bot reaches both with the real SDK clients; the workspace is discovered from the
// diagnostic setting, as it is when nothing names it in the config.
import { ACCOUNT, activityLogPage, armHandler, deploymentResource, deploymentsPage, diagnosticSettingResource, diagnosticSettingsPage, ok } from "../fakes/arm-resources.ts";
import { FakeAzureMonitor } from "../fakes/azure-monitor.ts";
import { FakeLogAnalytics, tableBody, type LogsReply, type WireColumn } from "../fakes/log-analytics.ts";

export { ACCOUNT };
export const WORKSPACE = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law-prod";
const METRIC_NAMES = ["AzureOpenAIRequests", "AzureOpenAITimeToResponse", "TokenTransaction"];

export interface KqlWorld {
  readonly arm: FakeAzureMonitor;
  readonly logAnalytics: FakeLogAnalytics;
  /** What the workspace answers the next queries (tests replace it). */
  logs: LogsReply;
  close(): Promise<void>;
}

export async function startKqlWorld(): Promise<KqlWorld> {
  const arm = await new FakeAzureMonitor().start();
  const logAnalytics = await new FakeLogAnalytics().start();
  const world: KqlWorld = {
    arm,
    logAnalytics,
    logs: { status: 200, body: resultBody(RESULT_ROWS) },
    close: async () => {
      await arm.close();
      await logAnalytics.close();
    },
  };
  const routes = armHandler({
    "diagnosticSettings.list": () => ok(diagnosticSettingsPage([diagnosticSettingResource({ name: "to-law", workspaceId: WORKSPACE, logs: ["RequestResponse", "Audit", "Trace"] })])),
    "activityLogs.list": () => ok(activityLogPage([])),
    "deployments.list": () => ok(deploymentsPage([deploymentResource({ name: "gpt-4o", sku: "GlobalStandard", capacity: 150, model: "gpt-4o", rpm: 900, tpm: 150_000 })])),
  });
  arm.handler = (req, n) => {
    if (req.path.endsWith("/providers/Microsoft.Insights/metricDefinitions")) {
      return ok({ value: METRIC_NAMES.map((name) => ({ id: `${ACCOUNT}/providers/microsoft.insights/metricdefinitions/${name}`, resourceId: ACCOUNT, namespace: "Microsoft.CognitiveServices/accounts", name: { value: name, localizedValue: name }, unit: "Count", primaryAggregationType: "Total", dimensions: [] })) });
    }
    // the deployments the resource reports (resultType=Metadata), and an empty series for any other read
    if (req.path.endsWith("/providers/Microsoft.Insights/metrics")) {
      return ok({ timespan: req.query.timespan ?? "", interval: "PT1M", value: [{ id: `${ACCOUNT}/providers/Microsoft.Insights/metrics/AzureOpenAIRequests`, type: "Microsoft.Insights/metrics", name: { value: "AzureOpenAIRequests", localizedValue: "Azure OpenAI Requests" }, unit: "Count", timeseries: [{ metadatavalues: [{ name: { value: "modeldeploymentname", localizedValue: "ModelDeploymentName" }, value: "gpt-4o" }, { name: { value: "modelname", localizedValue: "ModelName" }, value: "gpt-4o" }], data: [] }] }] });
    }
    return routes(req, n);
  };
  logAnalytics.handler = () => world.logs;
  return world;
}

/** The columns of the scripted result, as the query API describes them. */
export const RESULT_COLUMNS: readonly WireColumn[] = [
  { name: "TimeGenerated", type: "datetime" },
  { name: "OperationName", type: "string" },
  { name: "DurationMs", type: "real" },
  { name: "ResultSignature", type: "string" },
  { name: "CorrelationId", type: "string" },
  { name: "properties_s", type: "string" },
];

/** A spreadsheet formula (DDE) a caller could have put in a logged field: the CSV must not run it. */
export const FORMULA = "=cmd|' /C calc'!A0";
export const PROPERTIES = '{"modelDeploymentName":"gpt-4o","modelName":"gpt-4o","streamType":"Streaming"}';
export const RESULT_ROWS = 60;

/** Row i (0-based): minute i after 09:00 UTC; row 0 carries the formula, row 3 a 429, row 5 no duration. */
export function resultRow(i: number): unknown[] {
  const mm = String(i).padStart(2, "0");
  return [
    `2026-11-29T09:${mm}:07.1230000Z`,
    "ChatCompletions_Create",
    i === 5 ? null : 100 + i * 10,
    i === 3 ? "429" : "200",
    `00000000-0000-4000-8000-0000000000${mm}`,
    i === 0 ? FORMULA : PROPERTIES,
  ];
}

export const STATISTICS = { query: { executionTime: 0.0123, resourceUsage: {}, inputDatasetStatistics: { extents: { total: 3, scanned: 3 }, rows: { total: 123_456, scanned: 123_456 } } } };

export function resultBody(rows: number, extra: Readonly<Record<string, unknown>> = { statistics: STATISTICS }): Record<string, unknown> {
  return tableBody(RESULT_COLUMNS, Array.from({ length: rows }, (_, i) => resultRow(i)), extra);
}

export const PARTIAL_ERROR = {
  code: "PartialError",
  message: "There were some errors when processing your query.",
  details: [{ code: "EngineError", message: "Something went wrong processing your query on the server.", innererror: { code: "E_QUERY_RESULT_SET_TOO_LARGE", message: "Query result set has exceeded the internal data size limit 64000000" } }],
};

export const INSUFFICIENT_ACCESS: LogsReply = { status: 403, body: { error: { code: "InsufficientAccessError", message: "The provided credentials have insufficient access to perform the requested operation" } } };
