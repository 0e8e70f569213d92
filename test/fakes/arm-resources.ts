// Builders of the documented Resource Manager response bodies the bot reads besides metrics, and a
// router for FakeAzureMonitor (azure-monitor.ts), which serves any ARM path.
//
// What the SDK clients send (read from node_modules, checked by test/queries/arm-clients.test.ts):
//
//   Activity Logs - List (@azure/arm-monitor 8.0.0, MonitorClient.activityLogs.list(filter)):
//     GET /subscriptions/{subscriptionId}/providers/Microsoft.Insights/eventtypes/management/values
//         ?api-version=2015-04-01&$filter=eventTimestamp ge '<startISO>' and eventTimestamp le '<endISO>'
//                                         and resourceGroupName eq '<group>'   (default scope "resource-group")
//                                         | and resourceUri eq '<account id>'  (scope "resource")
//     → 200 {"value": [EventData…], "nextLink"?: "<absolute URL>"}; the client GETs nextLink as given
//       (adding api-version=2015-04-01 if it lacks one) until there is none.
//   Diagnostic Settings - List (@azure/arm-monitor 8.0.0, MonitorClient.diagnosticSettings.list(resourceUri)):
//     GET /{accountId}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview
//     (the SDK sends a doubled slash, //subscriptions/…, for ids that start with "/")
//     → 200 {"value": [DiagnosticSettingsResource…]}
//   Deployments - List (@azure/arm-cognitiveservices 8.1.0, deployments.list(resourceGroup, accountName)):
//     GET /subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.CognitiveServices/accounts/{a}/deployments
//         ?api-version=2025-09-01
//     → 200 {"value": [Deployment…], "nextLink"?: "<absolute URL>"}
//   Metrics - List (for quota; @azure/arm-monitor 8.0.0 metrics.list):
//     GET /{accountId}/providers/Microsoft.Insights/metrics?api-version=2024-02-01&…
// Errors: {"error": {"code", "message"}} with the HTTP status (403 AuthorizationFailed, 404 ResourceNotFound, 429 + Retry-After).
import type { FakeHandler, FakeReply, RecordedRequest } from "./azure-monitor.ts";

export const ACCOUNT = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai-prod";

export const ARM_API_VERSIONS = {
  activityLogs: "2015-04-01",
  diagnosticSettings: "2021-05-01-preview",
  deployments: "2025-09-01",
  metrics: "2024-02-01",
} as const;

export type ArmRoute = "activityLogs.list" | "deployments.list" | "diagnosticSettings.list" | "metrics.list";

const ROUTES: readonly { readonly route: ArmRoute; readonly path: RegExp }[] = [
  { route: "activityLogs.list", path: /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Insights\/eventtypes\/management\/values$/i },
  { route: "deployments.list", path: /\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/]+\/deployments$/i },
  { route: "diagnosticSettings.list", path: /\/providers\/Microsoft\.Insights\/diagnosticSettings$/i },
  { route: "metrics.list", path: /\/providers\/Microsoft\.Insights\/metrics$/i },
];

export function routeOf(req: RecordedRequest): ArmRoute | undefined {
  return ROUTES.find((r) => r.path.test(req.path))?.route;
}

/** One handler per route; a request to any other path is a 404 naming what the test did not script. */
export function armHandler(handlers: Partial<Record<ArmRoute, FakeHandler>>): FakeHandler {
  return (req, n) => {
    const route = routeOf(req);
    const handler = route === undefined ? undefined : handlers[route];
    return handler ? handler(req, n) : armError(404, "NoHandler", `test did not script ${req.method} ${req.path}`);
  };
}

export function ok(body: unknown): FakeReply {
  return { status: 200, body };
}

export function armError(status: number, code: string, message: string, headers?: Readonly<Record<string, string>>): FakeReply {
  return { status, body: { error: { code, message } }, ...(headers === undefined ? {} : { headers }) };
}

// ---- activity log (EventData, api-version 2015-04-01) ----

export interface EventSpec {
  readonly time: string;
  readonly operation: string;
  readonly status: "Started" | "Accepted" | "Succeeded" | "Failed";
  readonly resourceId: string;
  readonly caller?: string;
  readonly correlationId?: string;
  /** HTTP outcome in subStatus and properties.statusCode, e.g. "Created", "OK", "Accepted". */
  readonly statusCode?: string;
  readonly requestBody?: unknown;
  readonly responseBody?: unknown;
  readonly properties?: Readonly<Record<string, string>>;
}

let eventSeq = 0;

/** An EventData record as Activity Logs - List returns it (operationName and status are LocalizableStrings). */
export function eventData(spec: EventSpec): Record<string, unknown> {
  const id = `ev-${++eventSeq}`;
  const sub = spec.resourceId.split("/")[2] ?? "";
  const group = spec.resourceId.split("/")[4] ?? "";
  const provider = spec.operation.split("/")[0] ?? "";
  const properties: Record<string, string> = {
    eventCategory: "Administrative",
    entity: spec.resourceId,
    message: spec.operation,
    hierarchy: "tenant/mg",
    ...(spec.statusCode === undefined ? {} : { statusCode: spec.statusCode }),
    ...(spec.requestBody === undefined ? {} : { requestbody: JSON.stringify(spec.requestBody) }),
    ...(spec.responseBody === undefined ? {} : { responseBody: JSON.stringify(spec.responseBody) }),
    ...spec.properties,
  };
  return {
    authorization: { action: spec.operation, scope: spec.resourceId },
    caller: spec.caller ?? "alice@contoso.com",
    channels: "Operation",
    claims: { "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": spec.caller ?? "alice@contoso.com" },
    correlationId: spec.correlationId ?? id,
    description: "",
    eventDataId: id,
    eventName: { value: spec.status === "Started" ? "BeginRequest" : "EndRequest", localizedValue: spec.status === "Started" ? "Begin request" : "End request" },
    category: { value: "Administrative", localizedValue: "Administrative" },
    eventTimestamp: spec.time,
    id: `${spec.resourceId}/events/${id}/ticks/638000000000000000`,
    level: spec.status === "Failed" ? "Error" : "Informational",
    operationId: spec.correlationId ?? id,
    operationName: { value: spec.operation, localizedValue: spec.operation },
    resourceGroupName: group,
    resourceProviderName: { value: provider, localizedValue: provider },
    resourceType: { value: spec.operation.split("/").slice(0, -1).join("/"), localizedValue: "" },
    resourceId: spec.resourceId,
    status: { value: spec.status, localizedValue: spec.status },
    subStatus: spec.statusCode === undefined ? { value: "", localizedValue: "" } : { value: spec.statusCode, localizedValue: spec.statusCode },
    submissionTimestamp: spec.time,
    subscriptionId: sub,
    tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    properties,
    httpRequest: { clientRequestId: id, clientIpAddress: "203.0.113.7", method: spec.operation.endsWith("/delete") ? "DELETE" : spec.operation.endsWith("/action") ? "POST" : "PUT" },
  };
}

/** A write as Resource Manager logs it: Started (with the request body), then the final record. */
export function writeEvents(spec: Omit<EventSpec, "status"> & { readonly startedAt?: string; readonly final?: "Succeeded" | "Failed" }): Record<string, unknown>[] {
  const correlationId = spec.correlationId ?? `corr-${++eventSeq}`;
  const { requestBody, responseBody, statusCode, startedAt, final, ...rest } = spec;
  return [
    eventData({ ...rest, correlationId, time: startedAt ?? spec.time, status: "Started", ...(requestBody === undefined ? {} : { requestBody }) }),
    eventData({ ...rest, correlationId, status: final ?? "Succeeded", statusCode: statusCode ?? "OK", ...(responseBody === undefined ? {} : { responseBody }) }),
  ];
}

export function activityLogPage(events: readonly Record<string, unknown>[], nextLink?: string): Record<string, unknown> {
  return { value: events, ...(nextLink === undefined ? {} : { nextLink }) };
}

// ---- deployments (Deployment, api-version 2025-09-01) ----

export interface DeploymentSpec {
  readonly name: string;
  readonly sku: string;
  readonly capacity: number;
  readonly model: string;
  readonly version?: string;
  /** Per-minute limits, written as Azure writes them: requests per 10 s, tokens per 60 s. */
  readonly rpm?: number;
  readonly tpm?: number;
  readonly spillover?: string;
  readonly account?: string;
}

export function deploymentResource(spec: DeploymentSpec): Record<string, unknown> {
  const rateLimits = [
    ...(spec.rpm === undefined ? [] : [{ key: "request", renewalPeriod: 10, count: spec.rpm / 6 }]),
    ...(spec.tpm === undefined ? [] : [{ key: "token", renewalPeriod: 60, count: spec.tpm }]),
  ];
  return {
    id: `${spec.account ?? ACCOUNT}/deployments/${spec.name}`,
    name: spec.name,
    type: "Microsoft.CognitiveServices/accounts/deployments",
    sku: { name: spec.sku, capacity: spec.capacity },
    systemData: { createdBy: "alice@contoso.com", createdAt: "2026-10-01T08:00:00Z" },
    etag: '"0x1"',
    properties: {
      model: { format: "OpenAI", name: spec.model, version: spec.version ?? "2024-11-20" },
      versionUpgradeOption: "OnceNewDefaultVersionAvailable",
      capabilities: { chatCompletion: "true" },
      provisioningState: "Succeeded",
      currentCapacity: spec.capacity,
      raiPolicyName: "Microsoft.DefaultV2",
      rateLimits,
      ...(spec.spillover === undefined ? {} : { spilloverDeploymentName: spec.spillover }),
    },
  };
}

export function deploymentsPage(deployments: readonly Record<string, unknown>[], nextLink?: string): Record<string, unknown> {
  return { value: deployments, ...(nextLink === undefined ? {} : { nextLink }) };
}

// ---- diagnostic settings (DiagnosticSettingsResource, api-version 2021-05-01-preview) ----

export interface DiagnosticSettingSpec {
  readonly name: string;
  readonly workspaceId?: string;
  /** Enabled categories; a name starting with "all" or "audit" is a category group. */
  readonly logs: readonly string[];
  readonly disabled?: readonly string[];
  readonly metrics?: boolean;
  readonly account?: string;
}

export function diagnosticSettingResource(spec: DiagnosticSettingSpec): Record<string, unknown> {
  const log = (category: string, enabled: boolean) =>
    /^(all|audit)/i.test(category) ? { category: null, categoryGroup: category, enabled, retentionPolicy: { enabled: false, days: 0 } } : { category, categoryGroup: null, enabled, retentionPolicy: { enabled: false, days: 0 } };
  return {
    id: `${spec.account ?? ACCOUNT}/providers/microsoft.insights/diagnosticSettings/${spec.name}`,
    type: "Microsoft.Insights/diagnosticSettings",
    name: spec.name,
    properties: {
      storageAccountId: null,
      serviceBusRuleId: null,
      workspaceId: spec.workspaceId ?? null,
      eventHubAuthorizationRuleId: null,
      eventHubName: null,
      metrics: [{ category: "AllMetrics", enabled: spec.metrics ?? false, retentionPolicy: { enabled: false, days: 0 } }],
      logs: [...spec.logs.map((c) => log(c, true)), ...(spec.disabled ?? []).map((c) => log(c, false))],
      logAnalyticsDestinationType: null,
    },
  };
}

export function diagnosticSettingsPage(settings: readonly Record<string, unknown>[]): Record<string, unknown> {
  return { value: settings };
}

// ---- metrics (Metrics - List 2024-02-01), split by ModelDeploymentName ----

export interface SeriesSpec {
  readonly dimensions: Readonly<Record<string, string>>;
  /** Points as [ISO time, value]; the value lands in the field of `aggregation`. */
  readonly points: readonly (readonly [string, number])[];
  readonly aggregation?: "total" | "maximum" | "average";
  /** Extra fields per point (e.g. both maximum and average). */
  readonly extra?: readonly Readonly<Record<string, number>>[];
}

export function metricsResponse(resourceId: string, timespan: string, interval: string, metrics: readonly { readonly name: string; readonly unit?: string; readonly series: readonly SeriesSpec[] }[]): Record<string, unknown> {
  return {
    cost: 0,
    timespan,
    interval,
    namespace: "Microsoft.CognitiveServices/accounts",
    resourceregion: "swedencentral",
    value: metrics.map((m) => ({
      id: `${resourceId}/providers/Microsoft.Insights/metrics/${m.name}`,
      type: "Microsoft.Insights/metrics",
      name: { value: m.name, localizedValue: m.name },
      displayDescription: "",
      unit: m.unit ?? "Count",
      errorCode: "Success",
      timeseries: m.series.map((s) => ({
        metadatavalues: Object.entries(s.dimensions).map(([k, v]) => ({ name: { value: k.toLowerCase(), localizedValue: k }, value: v })),
        data: s.points.map(([timeStamp, value], i) => ({ timeStamp, [s.aggregation ?? "total"]: value, ...s.extra?.[i] })),
      })),
    })),
  };
}
