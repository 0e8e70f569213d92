// The Resource Manager readers (arm-readers.ts) on the Azure SDKs: the activity log and diagnostic
// settings through @azure/arm-monitor 8, deployments through @azure/arm-cognitiveservices 8.1.
// Each read has its own timeout over all its pages, the shared throttling retry, and failures said
// as what to do (arm-errors.ts). The REST routes and api-versions they send are listed at the top
// of test/fakes/arm-resources.ts.
// loaded on the first deployments read (quota, doctor): most answers and the demo's start never need it
import type { CognitiveServicesManagementClient, Deployment, ThrottlingRule } from "@azure/arm-cognitiveservices";
import { MonitorClient, type DiagnosticSettingsResource, type EventData } from "@azure/arm-monitor";
import type { TokenCredential } from "@azure/core-auth";
import type { HttpClient } from "@azure/core-rest-pipeline";
import { activityEvents } from "./activity-events.ts";
import { ARM_READ_RETRY, armThrottledAgain, DEFAULT_ARM_TIMEOUT_MS, translateArmError, type ArmRead, type ArmScope } from "./arm-errors.ts";
import type { ActivityEvent, ActivityLogReader, DeploymentLimits, DeploymentReader, DiagnosticSetting, DiagnosticSettingsReader } from "./arm-readers.ts";
import { AzureRequestError } from "./errors.ts";
import { isResourceId } from "./resources.ts";
import type { ArmRequest } from "./table-answer.ts";
import { iso } from "./time-window.ts";
import { retry, type RetryPolicy } from "../retry/retry.ts";

export interface ArmReaderOptions {
  readonly credential: TokenCredential;
  /** Resource Manager base URL (config.armEndpoint); sovereign clouds use their own. */
  readonly endpoint: string;
  /** Replaces the network: the demo and tests route requests to a simulated Resource Manager. */
  readonly httpClient?: HttpClient;
  /** For one read, all its pages included. */
  readonly timeoutMs?: number;
  /** Overrides parts of ARM_READ_RETRY (tests: no waits). */
  readonly retry?: Partial<RetryPolicy>;
}

/**
 * How the activity log is filtered. The documented `resourceUri eq` pattern names one resource and
 * says nothing of its children, so by default the account's resource group is read and only the
 * account's own events and its children's (deployments, its diagnostic settings, role assignments
 * on it) are kept: that needs Monitoring Reader on the group. "resource" asks for the account
 * alone (Monitoring Reader on the account suffices), still keeping any child events Azure returns.
 */
export type ActivityScope = "resource-group" | "resource";

export interface ArmActivityLogOptions extends ArmReaderOptions {
  readonly scope?: ActivityScope;
}

/** An account id's parts: the SDKs take them apart. */
export interface AccountRef {
  readonly id: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
}

export function accountRef(resourceId: string): AccountRef {
  if (!isResourceId(resourceId)) {
    throw new AzureRequestError(`"${resourceId}" is not an Azure OpenAI account id.`, {
      hint: "Account ids look like /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.CognitiveServices/accounts/<name>.",
    });
  }
  const parts = resourceId.split("/");
  return { id: resourceId, subscriptionId: parts[2]!, resourceGroup: parts[4]!, name: parts[8]! };
}

/** The `$filter` Activity Logs - List gets: the window (both ends inclusive on the wire; [start, end) is kept) and the scope. */
export function activityLogFilter(account: AccountRef, start: Date, end: Date, scope: ActivityScope): string {
  const window = `eventTimestamp ge '${iso(start)}' and eventTimestamp le '${iso(end)}'`;
  return scope === "resource-group" ? `${window} and resourceGroupName eq '${account.resourceGroup}'` : `${window} and resourceUri eq '${account.id}'`;
}

/** Runs one read: its deadline over every page, throttling retries, failures translated. */
class ArmCaller {
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;

  constructor(options: ArmReaderOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_ARM_TIMEOUT_MS;
    this.retry = { ...ARM_READ_RETRY, ...options.retry };
  }

  run<T>(read: ArmRead, scope: ArmScope, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return retry(() => this.attempt(read, scope, send), { policy: this.retry, decide: armThrottledAgain });
  }

  /**
   * The SDKs pass the signal to a list's first page only (arm-monitor 8 fetches nextLink pages
   * without it), so the deadline is also raced: a stalled later page ends the read too.
   */
  private async attempt<T>(read: ArmRead, scope: ArmScope, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { name: "AbortError" }));
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([send(controller.signal), deadline]);
    } catch (err) {
      throw translateArmError(err, read, scope, this.timeoutMs, controller.signal.aborted);
    } finally {
      clearTimeout(timer);
    }
  }
}

function scopeOf(account: AccountRef, requestScope: string): ArmScope {
  return { resourceId: account.id, subscriptionId: account.subscriptionId, resourceGroup: account.resourceGroup, requestScope };
}

function monitorClient(options: ArmReaderOptions, subscriptionId: string): MonitorClient {
  return new MonitorClient(options.credential, subscriptionId, {
    endpoint: options.endpoint,
    credentials: { scopes: [`${options.endpoint.replace(/\/+$/, "")}/.default`] },
    retryOptions: { maxRetries: 0 },
    ...(options.httpClient === undefined ? {} : { httpClient: options.httpClient }),
  });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Activity Logs - List at the account's subscription, every nextLink page followed. */
export class ArmActivityLog implements ActivityLogReader {
  private readonly options: ArmReaderOptions;
  private readonly caller: ArmCaller;
  private readonly scope: ActivityScope;
  private readonly clients = new Map<string, MonitorClient>();

  constructor(options: ArmActivityLogOptions) {
    this.options = options;
    this.caller = new ArmCaller(options);
    this.scope = options.scope ?? "resource-group";
  }

  async events(resourceId: string, start: Date, end: Date): Promise<ActivityEvent[]> {
    const account = accountRef(resourceId);
    const filter = activityLogFilter(account, start, end, this.scope);
    const client = this.client(account.subscriptionId);
    const records = await this.caller.run("activity-log", scopeOf(account, this.scope), (abortSignal) => collect<EventData>(client.activityLogs.list(filter, { abortSignal })));
    return activityEvents(records, account.id, { start, end });
  }

  request(resourceId: string, start: Date, end: Date): ArmRequest {
    const account = accountRef(resourceId);
    return { api: "arm", operation: "activityLogs.list", scope: `/subscriptions/${account.subscriptionId}`, filter: activityLogFilter(account, start, end, this.scope) };
  }

  private client(subscriptionId: string): MonitorClient {
    let c = this.clients.get(subscriptionId);
    if (c === undefined) {
      c = monitorClient(this.options, subscriptionId);
      this.clients.set(subscriptionId, c);
    }
    return c;
  }
}

/** Diagnostic Settings - List on the account. */
export class ArmDiagnosticSettings implements DiagnosticSettingsReader {
  private readonly caller: ArmCaller;
  // the operation takes the resource URI only; the subscription id the client wants is never sent
  private readonly client: MonitorClient;

  constructor(options: ArmReaderOptions) {
    this.caller = new ArmCaller(options);
    this.client = monitorClient(options, "00000000-0000-0000-0000-000000000000");
  }

  async list(resourceId: string): Promise<DiagnosticSetting[]> {
    const account = accountRef(resourceId);
    const settings = await this.caller.run("diagnostic-settings", scopeOf(account, "resource"), (abortSignal) => collect<DiagnosticSettingsResource>(this.client.diagnosticSettings.list(account.id, { abortSignal })));
    return settings.map(diagnosticSetting);
  }
}

export function diagnosticSetting(s: DiagnosticSettingsResource): DiagnosticSetting {
  return {
    name: s.name ?? "(unnamed)",
    ...(s.workspaceId ? { workspaceResourceId: s.workspaceId } : {}),
    logs: (s.logs ?? []).map((l) => ({ category: l.category ?? l.categoryGroup ?? "(unnamed)", enabled: l.enabled })),
    metricsEnabled: (s.metrics ?? []).some((m) => m.enabled),
  };
}

/** Deployments - List on the account: each deployment's SKU, capacity, rate limits and spillover target. */
export class ArmDeployments implements DeploymentReader {
  private readonly options: ArmReaderOptions;
  private readonly caller: ArmCaller;
  private readonly clients = new Map<string, CognitiveServicesManagementClient>();

  constructor(options: ArmReaderOptions) {
    this.options = options;
    this.caller = new ArmCaller(options);
  }

  async list(resourceId: string): Promise<DeploymentLimits[]> {
    const account = accountRef(resourceId);
    const client = await this.client(account.subscriptionId);
    const deployments = await this.caller.run("deployments", scopeOf(account, "resource"), (abortSignal) => collect<Deployment>(client.deployments.list(account.resourceGroup, account.name, { abortSignal })));
    return deployments.map(deploymentLimits);
  }

  request(resourceId: string): ArmRequest {
    return { api: "arm", operation: "deployments.list", scope: accountRef(resourceId).id };
  }

  private async client(subscriptionId: string): Promise<CognitiveServicesManagementClient> {
    let c = this.clients.get(subscriptionId);
    if (c === undefined) {
      const { CognitiveServicesManagementClient } = await import("@azure/arm-cognitiveservices");
      const { credential, endpoint, httpClient } = this.options;
      c = new CognitiveServicesManagementClient(credential, subscriptionId, {
        endpoint,
        credentialScopes: [`${endpoint.replace(/\/+$/, "")}/.default`],
        retryOptions: { maxRetries: 0 },
        ...(httpClient === undefined ? {} : { httpClient }),
      });
      this.clients.set(subscriptionId, c);
    }
    return c;
  }
}

/** SKUs whose capacity is PTUs, not thousands of TPM. */
const PROVISIONED_SKU = /provisioned/i;

export function deploymentLimits(d: Deployment): DeploymentLimits {
  const p = d.properties;
  const sku = d.sku?.name ?? "unknown";
  const tokens = perMinute(p?.rateLimits, "token");
  const requests = perMinute(p?.rateLimits, "request");
  return {
    name: d.name ?? "(unnamed)",
    ...(p?.model?.name ? { model: p.model.name } : {}),
    ...(p?.model?.version ? { modelVersion: p.model.version } : {}),
    sku,
    ...(d.sku?.capacity === undefined ? {} : { capacity: d.sku.capacity }),
    ...(tokens === undefined ? {} : { tokensPerMinute: tokens }),
    ...(requests === undefined ? {} : { requestsPerMinute: requests }),
    provisioned: PROVISIONED_SKU.test(sku),
    ...(p?.spilloverDeploymentName ? { spilloverDeploymentName: p.spilloverDeploymentName } : {}),
  };
}

/**
 * A rate limit per minute. Azure states request limits per 10 s (count 100, renewalPeriod 10 is
 * 600 RPM) and token limits per 60 s; a rule scoped to some paths (matchPatterns) is not the
 * deployment's limit when a general one exists.
 */
function perMinute(rules: readonly ThrottlingRule[] | undefined, key: "token" | "request"): number | undefined {
  const matching = (rules ?? []).filter((r) => r.key?.toLowerCase() === key && typeof r.count === "number");
  const rule = matching.find((r) => (r.matchPatterns ?? []).length === 0) ?? matching[0];
  if (rule?.count === undefined) return undefined;
  const period = rule.renewalPeriod !== undefined && rule.renewalPeriod > 0 ? rule.renewalPeriod : 60;
  return Math.round((rule.count * 60) / period);
}
