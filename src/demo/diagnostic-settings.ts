// The demo account's one diagnostic setting, as Diagnostic Settings - List answers
// (api-version 2021-05-01-preview): Audit, RequestResponse and Trace logs and AllMetrics go to the
// demo workspace in the legacy AzureDiagnostics mode (logAnalyticsDestinationType null), which is
// the only mode Microsoft.CognitiveServices has. The usage category is listed but off: it is the
// one that costs extra to export.
import { DEMO_RESOURCE_ID } from "./demo-resource.ts";
import { DEMO_WORKSPACE_RESOURCE_ID } from "./workspace/workspace-identity.ts";

export const DEMO_DIAGNOSTIC_SETTING = "aoai-demo-to-law";

const LOG_CATEGORIES: readonly { readonly category: string; readonly enabled: boolean }[] = [
  { category: "Audit", enabled: true },
  { category: "RequestResponse", enabled: true },
  { category: "Trace", enabled: true },
  { category: "AzureOpenAIRequestUsage", enabled: false },
];

const NO_RETENTION = { enabled: false, days: 0 };

export function diagnosticSettingsList(): { value: Record<string, unknown>[] } {
  return {
    value: [
      {
        id: `${DEMO_RESOURCE_ID}/providers/microsoft.insights/diagnosticSettings/${DEMO_DIAGNOSTIC_SETTING}`,
        type: "Microsoft.Insights/diagnosticSettings",
        name: DEMO_DIAGNOSTIC_SETTING,
        location: null,
        kind: null,
        tags: null,
        properties: {
          storageAccountId: null,
          serviceBusRuleId: null,
          workspaceId: DEMO_WORKSPACE_RESOURCE_ID,
          eventHubAuthorizationRuleId: null,
          eventHubName: null,
          metrics: [{ timeGrain: null, category: "AllMetrics", enabled: true, retentionPolicy: NO_RETENTION }],
          logs: LOG_CATEGORIES.map((l) => ({ category: l.category, categoryGroup: null, enabled: l.enabled, retentionPolicy: NO_RETENTION })),
          logAnalyticsDestinationType: null,
        },
        identity: null,
      },
    ],
  };
}
