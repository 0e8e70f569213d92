// A resource whose request metrics, diagnostic settings and Log Analytics workspace tests script
// together, read by a real LogAbsence: AzureMetrics and ArmDiagnosticSettings (@azure/arm-monitor)
// against FakeAzureMonitor, AzureLogs (LogsQueryClient) against FakeLogAnalytics.
import { ArmDiagnosticSettings } from "../../../src/queries/arm-clients.ts";
import { AzureMetrics } from "../../../src/queries/azure-metrics.ts";
import { LogAbsence } from "../../../src/queries/logs/log-absence.ts";
import { AzureLogs } from "../../../src/queries/logs/logs-client.ts";
import { FakeAzureMonitor, fakeCredential, type RecordedRequest } from "../../fakes/azure-monitor.ts";
import { ACCOUNT, armError, armHandler, diagnosticSettingResource, diagnosticSettingsPage, metricsResponse, ok, type DiagnosticSettingSpec } from "../../fakes/arm-resources.ts";
import { FakeLogAnalytics, tableBody, type RecordedLogsRequest } from "../../fakes/log-analytics.ts";

export { ACCOUNT };
export const WORKSPACE_ARM = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-ai/providers/Microsoft.OperationalInsights/workspaces/aoai-logs";
export const WORKSPACE_GUID = "6f2d8c1e-3a4b-4c5d-9e8f-0a1b2c3d4e5f";
/** The silent window ends here. */
export const AT = new Date("2026-11-30T14:00:00Z");

export interface Scenario {
  /** Diagnostic settings on the account; "forbidden": the bot may not read them (403). */
  readonly settings: readonly DiagnosticSettingSpec[] | "forbidden";
  /** AzureOpenAIRequests Total per deployment over the window (a series only for these). */
  readonly requests: Readonly<Record<string, number>>;
  /** The unsplit count has points (Azure's zeros) even when no deployment had a series; default true. */
  readonly resourceReports?: boolean;
  /** Deployments the 30-day Metadata lookup names (every-deployment checks); default the keys of `requests`. */
  readonly known?: readonly string[];
  /** The absence query's rows per deployment, or a 204 / a PartialError. */
  readonly rows: readonly { readonly deployment: string; readonly rows: number; readonly lastRow: string }[] | "no-data";
  readonly partialError?: string;
}

/** The setting most resources have: allLogs to the workspace. */
export const ROUTED: readonly DiagnosticSettingSpec[] = [{ name: "to-law", workspaceId: WORKSPACE_ARM, logs: ["allLogs"] }];

export class AbsenceWorld {
  readonly arm = new FakeAzureMonitor();
  readonly logs = new FakeLogAnalytics();
  scenario: Scenario = { settings: ROUTED, requests: {}, rows: [] };
  workspace = WORKSPACE_GUID;

  async start(): Promise<this> {
    await Promise.all([this.arm.start(), this.logs.start()]);
    this.arm.handler = armHandler({
      "diagnosticSettings.list": () => (this.scenario.settings === "forbidden" ? armError(403, "AuthorizationFailed", "The client does not have authorization to perform action 'Microsoft.Insights/diagnosticSettings/read'.") : ok(diagnosticSettingsPage(this.scenario.settings.map(diagnosticSettingResource)))),
      "metrics.list": (req) => ok(this.metrics(req)),
    });
    this.logs.handler = () => {
      const { rows, partialError } = this.scenario;
      if (rows === "no-data") return { status: 204 };
      const body = tableBody(
        [
          { name: "_ResourceId", type: "string" },
          { name: "deployment", type: "string" },
          { name: "rows", type: "long" },
          { name: "last_row", type: "datetime" },
        ],
        rows.map((r) => [ACCOUNT.toLowerCase(), r.deployment, r.rows, r.lastRow]),
        partialError === undefined ? {} : { error: { code: "PartialError", message: "There were some errors when processing your query.", details: [{ code: "EngineError", message: partialError }] } },
      );
      return { status: 200, body };
    };
    return this;
  }

  service(options: { readonly zone?: string } = {}): LogAbsence {
    const http = this.arm.httpClient();
    return new LogAbsence({
      backend: new AzureLogs({ credential: fakeCredential, httpClient: this.logs.httpClient() }),
      metrics: new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: http, now: () => AT }),
      diagnostics: new ArmDiagnosticSettings({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: http, retry: { maxAttempts: 1 } }),
      workspaces: () => Promise.resolve(this.workspace),
      zone: options.zone ?? "UTC",
      now: () => AT,
    });
  }

  /** Log Analytics queries sent. */
  logQueries(): RecordedLogsRequest[] {
    return this.logs.requests;
  }

  /** Metrics - List calls for figures (not the 30-day deployment lookup). */
  metricCalls(): RecordedRequest[] {
    return this.arm.metricsRequests();
  }

  close(): Promise<void> {
    return Promise.all([this.arm.close(), this.logs.close()]).then(() => undefined);
  }

  private metrics(req: RecordedRequest): Record<string, unknown> {
    const { requests, resourceReports, known } = this.scenario;
    const timespan = req.query.timespan ?? "";
    if (req.query.resultType === "Metadata") {
      const names = known ?? Object.keys(requests);
      return metricsResponse(ACCOUNT, timespan, "PT1M", [{ name: "AzureOpenAIRequests", series: names.map((d) => ({ dimensions: { ModelDeploymentName: d, ModelName: "gpt-4o" }, points: [] })) }]);
    }
    const start = timespan.split("/")[0] ?? "";
    if (req.query.$filter === undefined) {
      // the unsplit count: Azure writes zeros for a resource that reports, nothing for one that doesn't
      const total = Object.values(requests).reduce((a, b) => a + b, 0);
      return metricsResponse(ACCOUNT, timespan, "FULL", [{ name: "AzureOpenAIRequests", series: resourceReports === false ? [] : [{ dimensions: {}, points: [[start, total]] }] }]);
    }
    return metricsResponse(ACCOUNT, timespan, "FULL", [{ name: "AzureOpenAIRequests", series: Object.entries(requests).map(([d, total]) => ({ dimensions: { ModelDeploymentName: d }, points: [[start, total]] })) }]);
  }
}
