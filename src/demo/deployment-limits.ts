// The demo deployments as Cognitive Services answers Deployments - List: sku (name, capacity),
// model, and properties.rateLimits with the token and request limits the service derives from
// the capacity. Limits are picked against the demo traffic (traffic-profiles.ts, measured over 70
// weekdays): gpt-4o-mini's busiest minute of a weekday is 86–111 % (p10–p90) of its 850k TPM,
// about 100 % typically, so "how close to its limit?" finds it near the limit (its 13:30–14:40 throttling
// burst is a scripted incident, not its quota: in that hour it peaks near 60 % of TPM); gpt-4o's is 43–54 %
// of 1M TPM; gpt-4o-ptu is provisioned (utilisation, not a TPM limit) and spills over to gpt-4o:
// what it would answer 429 (its busy afternoons go past 100 %) is served by gpt-4o instead.
//
// Where a spilled request is counted: under the deployment that served it, with IsSpillover
// "true". Azure's spillover guide has you split AzureOpenAIRequests by deployment to see how many
// requests "were processed on the primary provisioned deployment versus the spillover standard
// deployment", and the IsSpillover dimension to see how many spilled, so in the demo
//   - gpt-4o-ptu's metrics count only what it served itself (its 429s become spilled requests),
//   - gpt-4o's count its own requests (IsSpillover "false") plus the spilled ones ("true"), with
//     gpt-4o's latency and tokens, in every metric and log row that counts by deployment.
// A request is counted once. src/queries/quota.ts reads both places and takes the share of all
// sent to the provisioned deployment: spilled ÷ (gpt-4o-ptu's requests + spilled).
import { DEMO_DEPLOYMENTS, DEMO_HISTORY_DAYS, DEMO_RESOURCE_ID, type DemoDeployment } from "./demo-resource.ts";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export interface DeploymentPlan {
  readonly deployment: string;
  /** sku.capacity outside the day's capacity changes: thousands of TPM, or PTUs when provisioned. */
  readonly capacity: number;
  /** What the service grants per capacity unit, per minute (Azure's published figures for these models). */
  readonly tokensPerUnit?: number;
  readonly requestsPerUnit?: number;
  readonly spilloverDeploymentName?: string;
  readonly versionUpgradeOption: string;
}

export const DEPLOYMENT_PLANS: readonly DeploymentPlan[] = [
  { deployment: "gpt-4o", capacity: 1000, tokensPerUnit: 1000, requestsPerUnit: 6, versionUpgradeOption: "OnceNewDefaultVersionAvailable" },
  { deployment: "gpt-4o-mini", capacity: 850, tokensPerUnit: 1000, requestsPerUnit: 6, versionUpgradeOption: "OnceNewDefaultVersionAvailable" },
  { deployment: "text-embedding-3-large", capacity: 1500, tokensPerUnit: 1000, requestsPerUnit: 6, versionUpgradeOption: "OnceNewDefaultVersionAvailable" },
  { deployment: "gpt-4o-ptu", capacity: 100, spilloverDeploymentName: "gpt-4o", versionUpgradeOption: "NoAutoUpgrade" },
];

/** A sku.capacity change that happens every day at the same UTC time (activity-events.ts logs it). */
export interface CapacityChange {
  readonly deployment: string;
  /** Seconds after UTC midnight. */
  readonly utcSecondOfDay: number;
  readonly from: number;
  readonly to: number;
  readonly caller: string;
  readonly callerType: "User" | "Application";
}

/** The object id of the service principal that scales capacity back down each evening. */
export const CAPACITY_SCHEDULER_ID = "7f3c2a91-5d2e-4b8a-9c1f-3e6d8a2b4c70";

export const CAPACITY_CHANGES: readonly CapacityChange[] = [
  // Someone reacts to gpt-4o's daily latency spike (10:00–10:20 UTC, incidents.ts) by adding capacity…
  { deployment: "gpt-4o", utcSecondOfDay: 10 * 3600 + 2 * 60 + 14, from: 1000, to: 1200, caller: "alice@contoso.com", callerType: "User" },
  // …and a nightly job puts it back, so the demo account's state repeats every day.
  { deployment: "gpt-4o", utcSecondOfDay: 19 * 3600 + 5, from: 1200, to: 1000, caller: CAPACITY_SCHEDULER_ID, callerType: "Application" },
];

/** Where Azure sends the deployment's overflow (its 429s), if it spills over. */
export function spilloverTarget(deployment: string): string | undefined {
  return DEPLOYMENT_PLANS.find((p) => p.deployment === deployment)?.spilloverDeploymentName;
}

/** The deployments whose overflow `target` serves. */
export function spilloverSources(target: string): string[] {
  return DEPLOYMENT_PLANS.filter((p) => p.spilloverDeploymentName === target).map((p) => p.deployment);
}

function plan(name: string): DeploymentPlan {
  const p = DEPLOYMENT_PLANS.find((x) => x.deployment === name);
  if (p === undefined) throw new Error(`no deployment plan for demo deployment ${name}`);
  return p;
}

/** The latest capacity change of the deployment at or before `atMs`, if any. */
export function lastCapacityChange(deployment: string, atMs: number): { change: CapacityChange; atMs: number } | undefined {
  let best: { change: CapacityChange; atMs: number } | undefined;
  const day = Math.floor(atMs / DAY_MS) * DAY_MS;
  for (const change of CAPACITY_CHANGES) {
    if (change.deployment !== deployment) continue;
    // Today's occurrence if it has happened, else yesterday's.
    const today = day + change.utcSecondOfDay * 1000;
    const when = today <= atMs ? today : today - DAY_MS;
    if (best === undefined || when > best.atMs) best = { change, atMs: when };
  }
  return best;
}

export function capacityAt(deployment: string, atMs: number): number {
  return lastCapacityChange(deployment, atMs)?.change.to ?? plan(deployment).capacity;
}

function capabilities(d: DemoDeployment): Record<string, string> {
  return d.kind === "chat"
    ? { area: "EUR", chatCompletion: "true", jsonObjectResponse: "true", maxContextToken: "128000", maxOutputToken: "16384", assistants: "true" }
    : { area: "EUR", embeddings: "true", embeddingsMaxInputs: "2048", maxContextToken: "8192" };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** One deployment in the wire shape of Microsoft.CognitiveServices/accounts/deployments (api-version 2025-09-01). */
export function wireDeployment(d: DemoDeployment, nowMs: number): Record<string, unknown> {
  const p = plan(d.name);
  const capacity = capacityAt(d.name, nowMs);
  const changed = lastCapacityChange(d.name, nowMs);
  // The account is as old as the demo's history, which has no data before it.
  const created = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS - DEMO_HISTORY_DAYS * DAY_MS - 3_600_000;
  const rateLimits =
    p.tokensPerUnit === undefined || p.requestsPerUnit === undefined
      ? undefined
      : [
          // Azure states the request limit per 10 s, the token limit per minute.
          { key: "request", renewalPeriod: 10, count: (capacity * p.requestsPerUnit) / 6 },
          { key: "token", renewalPeriod: 60, count: capacity * p.tokensPerUnit },
        ];
  return {
    id: `${DEMO_RESOURCE_ID}/deployments/${d.name}`,
    type: "Microsoft.CognitiveServices/accounts/deployments",
    name: d.name,
    sku: { name: d.sku, capacity },
    systemData: {
      createdBy: "alice@contoso.com",
      createdByType: "User",
      createdAt: iso(created),
      lastModifiedBy: changed?.change.caller ?? "alice@contoso.com",
      lastModifiedByType: changed?.change.callerType ?? "User",
      lastModifiedAt: iso(changed?.atMs ?? created),
    },
    etag: `"${(changed?.atMs ?? created).toString(16)}"`,
    properties: {
      model: { format: "OpenAI", name: d.model, version: d.version },
      versionUpgradeOption: p.versionUpgradeOption,
      currentCapacity: capacity,
      capabilities: capabilities(d),
      provisioningState: "Succeeded",
      raiPolicyName: "Microsoft.DefaultV2",
      ...(rateLimits === undefined ? {} : { rateLimits }),
      ...(p.spilloverDeploymentName === undefined ? {} : { spilloverDeploymentName: p.spilloverDeploymentName }),
    },
  };
}

/** Deployments - List: `GET {account}/deployments`. */
export function deploymentList(nowMs: number): { value: Record<string, unknown>[] } {
  return { value: DEMO_DEPLOYMENTS.map((d) => wireDeployment(d, nowMs)) };
}
