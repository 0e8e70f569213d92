// What the bot reads from Azure Resource Manager besides metrics, as interfaces the query layer
// depends on: the activity log, each deployment's limits, and the diagnostic settings that route
// resource logs to a workspace. arm-clients.ts implements them with @azure/arm-monitor and
// @azure/arm-cognitiveservices; the demo serves the same REST routes from its simulator.
import type { ArmRequest } from "./table-answer.ts";

export interface ActivityEvent {
  /** ISO time the event happened (eventTimestamp). */
  readonly time: string;
  /** The ARM operation, e.g. "Microsoft.CognitiveServices/accounts/deployments/write". */
  readonly operation: string;
  /** The operation as people read it ("deployment created or updated"). */
  readonly label: string;
  /** Succeeded, Failed, Started, Accepted … (status.value). */
  readonly status: string;
  /** Who: the caller (a UPN, or an app / object id). */
  readonly caller: string;
  /** The resource the event is on (the account or one of its deployments). */
  readonly resourceId: string;
  /** The deployment the event is on, when it is on one. */
  readonly deployment?: string;
  readonly correlationId?: string;
  /** What changed, when the event says (e.g. "capacity 100 → 150"). */
  readonly detail?: string;
}

export interface ActivityLogReader {
  /** Administrative events on the resource and its children in [start, end), oldest first. */
  events(resourceId: string, start: Date, end: Date): Promise<ActivityEvent[]>;
  /** The request `events` sends (scope and $filter), for `--plan` and the answer's sources. */
  request(resourceId: string, start: Date, end: Date): ArmRequest;
}

export interface DeploymentLimits {
  readonly name: string;
  readonly model?: string;
  readonly modelVersion?: string;
  /** sku.name: Standard, GlobalStandard, DataZoneStandard, ProvisionedManaged, GlobalProvisionedManaged … */
  readonly sku: string;
  /** sku.capacity: thousands of TPM for standard deployments, PTUs for provisioned ones. */
  readonly capacity?: number;
  /** From properties.rateLimits (key "token", renewalPeriod 60): never derived from capacity by a ratio. */
  readonly tokensPerMinute?: number;
  /** From properties.rateLimits (key "request", renewalPeriod 60). */
  readonly requestsPerMinute?: number;
  readonly provisioned: boolean;
  /** properties.spilloverDeploymentName: where traffic over a provisioned deployment's capacity goes. */
  readonly spilloverDeploymentName?: string;
}

export interface DeploymentReader {
  list(resourceId: string): Promise<DeploymentLimits[]>;
}

export interface DiagnosticSetting {
  readonly name: string;
  /** The Log Analytics workspace's ARM id, when the setting sends to one. */
  readonly workspaceResourceId?: string;
  /** Log categories (or category groups such as "allLogs", "audit") and whether each is enabled. */
  readonly logs: readonly { readonly category: string; readonly enabled: boolean }[];
  readonly metricsEnabled: boolean;
}

export interface DiagnosticSettingsReader {
  list(resourceId: string): Promise<DiagnosticSetting[]>;
}
