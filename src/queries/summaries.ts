// Daily summaries of several resources read together: every resource planned first (two requests
// each, summary-plan.ts), then all requests sent at once, so the metrics batch API
// (batch-metrics.ts) answers the same request for up to 50 accounts of a region in one call. A
// summary of one resource is the same path with one resource.
import type { AzureMetrics, MetricsResponse } from "./azure-metrics.ts";
import type { BatchMetrics } from "./batch-metrics.ts";
import { summarize, type DailySummary } from "./daily-summary.ts";
import { CANONICAL_FAMILY, familyOf, metricNamesIn, readBack } from "./metric-families.ts";
import type { MetricsRequest } from "./plan.ts";
import { refusesResource } from "./refused-resource.ts";
import type { Resource } from "./resources.ts";
import { isRestricted, nothingVisible, showsDeployment } from "./scope.ts";
import { planSummary, type SummaryPlan } from "./summary-plan.ts";

export interface SummaryReaders {
  readonly metrics: AzureMetrics;
  /** Absent: every request is its own Metrics - List call. */
  readonly batch?: BatchMetrics;
}

interface Planned {
  readonly plan: SummaryPlan;
  /** The plan's requests in the resource's metric family (a Foundry resource's Models names). */
  readonly sent: readonly MetricsRequest[];
}

/**
 * The summary of each resource of `resources`, in order. A restricted Resource (scope.ts) is
 * summarised over its visible deployments only (of `deployments`, those it shows), and refused
 * when it shows none. One resource of several refusing the bot (403/404 naming it) is that
 * summary's `refused`, and the others are read; any other failure is the whole read's.
 */
export async function readSummaries(readers: SummaryReaders, resources: readonly (string | Resource)[], slot: Date, zone: string, deployments?: readonly string[]): Promise<DailySummary[]> {
  const planned = await Promise.all(resources.map((r) => planFor(readers.metrics, r, slot, zone, deployments)));
  const requests = planned.flatMap((p) => p.sent);
  const answers = readers.batch ? readers.batch.queryAll(requests) : requests.map((r) => readers.metrics.query(r));
  const settled = await Promise.allSettled(answers);
  let at = 0;
  return planned.map(({ plan, sent }) => {
    const mine = settled.slice(at, (at += sent.length));
    const failed = mine.find((s) => s.status === "rejected");
    if (failed !== undefined) {
      const err: unknown = failed.reason;
      if (!refusesResource(err, plan.resource.id, resources.length)) throw err;
      const empty = sent.map((r): MetricsResponse => ({ timespan: r.timespan, value: [] }));
      return { ...summarize(plan, [empty[0]!, empty[1]!]), refused: err.hint === undefined ? err.message : `${err.message} ${err.hint}` };
    }
    const got = mine.map((s) => (s as PromiseFulfilledResult<MetricsResponse>).value);
    const [http, other] = got.map((res, i) => readBack(res, sent[i]!.metricnames, plan.requests[i]!.metricnames));
    const batchedIn = got.map((res) => readers.batch?.batchedIn(res)).find((r) => r !== undefined);
    return { ...summarize(plan, [http!, other!]), ...(batchedIn === undefined ? {} : { batchedIn }) };
  });
}

async function planFor(metrics: AzureMetrics, resource: string | Resource, slot: Date, zone: string, deployments: readonly string[] | undefined): Promise<Planned> {
  const resourceId = typeof resource === "string" ? resource : resource.id;
  const plan = typeof resource === "string" || !isRestricted(resource) ? planSummary(resourceId, slot, zone, deployments) : planSummary(resourceId, slot, zone, summarised(resource, deployments), "only these");
  // a Foundry resource is asked in the Models family's names and read back in the plan's
  const family = await metrics.definitions(resourceId).then(familyOf, () => CANONICAL_FAMILY);
  const sent = family === CANONICAL_FAMILY ? plan.requests : plan.requests.map((r) => ({ ...r, metricnames: metricNamesIn(family, r.metricnames) }));
  return { plan, sent };
}

/** The deployments a summary of `resource` covers: all asked when unrestricted; else the visible ones of those. */
function summarised(resource: Resource, deployments: readonly string[] | undefined): readonly string[] | undefined {
  if (!isRestricted(resource)) return deployments;
  const asked = deployments !== undefined && deployments.length > 0 ? deployments.filter((d) => showsDeployment(resource, d)) : resource.visible;
  if (asked.length === 0) throw nothingVisible();
  return asked;
}
