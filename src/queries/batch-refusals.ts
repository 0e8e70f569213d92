// When the metrics batch API is not for this identity or place, and for how wide a scope that is
// remembered. metrics:getBatch needs Microsoft.Insights/metrics/read on the subscription
// (Monitoring Reader there): a role on each account, enough for Metrics - List, is refused with
// 401 or 403. Those answers, and a region or route the service does not know, send the same
// requests as per-resource Metrics - List calls, and the next summary skips the batch call that
// cannot succeed. Throttling, timeouts and Azure's own failures are not refusals: they stay the
// answer's error, as they would for a Metrics - List call (per-resource calls would only add load).
import { isRestError } from "@azure/core-rest-pipeline";
import { AzureTimeoutError, AzureThrottledError, UserError } from "./errors.ts";

export type RefusalScope = "subscription" | "region";

/** HTTP status → how far the refusal reaches; in order, the first match wins. */
const REFUSALS: readonly { readonly matches: (status: number, code: string | undefined) => boolean; readonly scope: RefusalScope; readonly why: string }[] = [
  { matches: (s) => s === 401 || s === 403, scope: "subscription", why: "no Monitoring Reader on the subscription (the batch API needs Microsoft.Insights/metrics/read there)" },
  { matches: (s) => s === 404, scope: "region", why: "the batch API does not know this subscription or region" },
  { matches: (s) => s === 400, scope: "region", why: "the batch API refused the request for this region" },
  // <region>.metrics.monitor.azure.com has no address or refuses connections (a firewall that allows only Resource Manager)
  { matches: (s, code) => s === 0 && (code === "ENOTFOUND" || code === "ECONNREFUSED"), scope: "region", why: "the regional metrics endpoint could not be reached" },
];

export interface Refusal {
  readonly scope: RefusalScope;
  readonly why: string;
}

/** The refusal `err` (a translated batch failure) is, or undefined when it is the answer's own failure. */
export function refusalOf(err: unknown): Refusal | undefined {
  if (err instanceof AzureThrottledError || err instanceof AzureTimeoutError) return undefined;
  const cause = err instanceof UserError ? (err as { cause?: unknown }).cause : err;
  if (!isRestError(cause)) return undefined;
  const status = cause.statusCode ?? 0;
  const row = REFUSALS.find((r) => r.matches(status, cause.code));
  return row === undefined ? undefined : { scope: row.scope, why: row.why };
}

/** Refusals remembered for the life of the process: a role granted later is used after a restart. */
export class BatchRefusals {
  private readonly byScope = new Map<string, Refusal>();

  private static key(scope: RefusalScope, subscriptionId: string, region: string): string {
    return scope === "subscription" ? subscriptionId : `${subscriptionId}\n${region}`;
  }

  remember(refusal: Refusal, subscriptionId: string, region: string): void {
    this.byScope.set(BatchRefusals.key(refusal.scope, subscriptionId, region), refusal);
  }

  /** Why batch calls for this subscription and region are not sent, or undefined. */
  refused(subscriptionId: string, region: string): Refusal | undefined {
    return this.byScope.get(BatchRefusals.key("subscription", subscriptionId, region)) ?? this.byScope.get(BatchRefusals.key("region", subscriptionId, region));
  }
}
