// The table services (logs, raw KQL, the activity log, quota, `doctor`, log absence) over one set
// of readers: the demo's (simulated ARM, demo workspace) or Azure's. Loaded on the first table
// question (query-source.ts): a metrics answer, the one most asked, never needs them.
import { DemoLogsBackend, type DemoLogsBackendOptions } from "../demo/workspace/demo-logs-backend.ts";
import type { AzureMetrics } from "../queries/azure-metrics.ts";
import { ActivityQueries } from "../queries/activity-log.ts";
import { ArmActivityLog, ArmDeployments, ArmDiagnosticSettings, type ArmReaderOptions } from "../queries/arm-clients.ts";
import { LogAbsence } from "../queries/logs/log-absence.ts";
import { LogQueries } from "../queries/logs/log-queries.ts";
import type { LogsBackend } from "../queries/logs/logs-backend.ts";
import { AzureLogs, type AzureLogsOptions } from "../queries/logs/logs-client.ts";
import { Workspaces } from "../queries/logs/workspaces.ts";
import { QuotaQueries } from "../queries/quota.ts";
import { TableService } from "../queries/table-service.ts";
import { Prerequisites } from "../queries/prerequisites.ts";
import type { TableAnswer } from "../queries/table-answer.ts";
import type { Config } from "./config.ts";

export interface TableParts {
  readonly tables: TableService;
  readonly absence: LogAbsence;
}

/** Where the logs come from: the demo workspace over the simulator's traffic, or Log Analytics. */
export type LogsSource = { readonly demo: DemoLogsBackendOptions } | { readonly azure: AzureLogsOptions };

export interface TablePartsOptions {
  readonly config: Config;
  readonly metrics: AzureMetrics;
  readonly arm: ArmReaderOptions;
  readonly logs: LogsSource;
  readonly resourceIds: readonly string[];
  readonly now: () => Date;
  readonly portal?: string;
}

export function tableParts({ config, metrics, arm, logs, resourceIds, now, portal }: TablePartsOptions): TableParts {
  const backend: LogsBackend = "demo" in logs ? new DemoLogsBackend(logs.demo) : new AzureLogs(logs.azure);
  const diagnostics = new ArmDiagnosticSettings(arm);
  const activityLog = new ArmActivityLog(arm);
  const deployments = new ArmDeployments(arm);
  const workspaces = new Workspaces({ configured: config.workspaces, diagnosticSettings: diagnostics, now });
  const zone = config.timezone;
  const absence = new LogAbsence({ backend, metrics, diagnostics, workspaces: (id) => workspaces.workspaceOf(id), zone, now });
  const doctor = new Prerequisites({ metrics, diagnostics, logs: backend, workspaces: (id) => workspaces.workspaceOf(id), activity: activityLog, deployments, resourceIds, zone, now });
  const tables = new TableService({
    logs: new LogQueries({ backend, workspaces, zone, now, maxRows: config.kql.maxRows }),
    absence,
    activity: new ActivityQueries({ reader: activityLog, zone, now }),
    quota: new QuotaQueries({ deployments, metrics, zone, now }),
    doctor: (resources): Promise<TableAnswer> => doctor.check(resources),
    ...(portal ? { portal } : {}),
  });
  return { tables, absence };
}
