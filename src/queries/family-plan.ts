// A plan sent in each resource's metric family (metric-families.ts). Questions are planned and
// answers read in the catalog's (Azure OpenAI) names; a resource whose definitions list only the
// Models family is sent the Models names. Each sent request keeps the names it was planned in
// (`planned`), so its response is read back in those, and the answer says which family answered.
import type { MetricsResponse } from "./azure-metrics.ts";
import { findMetric } from "./catalog.ts";
import { UnsupportedDimensionError } from "./errors.ts";
import { CANONICAL_FAMILY, METRIC_FAMILIES, metricNameIn, metricNamesIn, readBack, type MetricFamilyId } from "./metric-families.ts";
import type { MetricsRequest, Plan, PlannedRequest } from "./plan.ts";
import type { Resource } from "./resources.ts";
import type { MetricResult } from "./result.ts";

const familyOf = (r: Resource): MetricFamilyId => r.family ?? CANONICAL_FAMILY;

/** The plan with each request named as its resource's family names the metrics (what is sent and shown by --plan). */
export function sentInFamilies<P extends Plan>(plan: P): P {
  return remap(plan, (p) => {
    const planned = p.planned ?? p.request;
    const metricnames = metricNamesIn(familyOf(p.resource), planned.metricnames);
    if (metricnames === planned.metricnames) return { request: planned };
    checkDimensions(p, metricnames, planned.metricnames);
    return { request: { ...planned, metricnames }, planned };
  });
}

/** The plan in the names it was planned in (what figures read), and the request each of its requests is sent as. */
export function asPlanned<P extends Plan>(plan: P): { readonly plan: P; readonly sent: ReadonlyMap<PlannedRequest, MetricsRequest> } {
  const sent = new Map<PlannedRequest, MetricsRequest>();
  const planned = remap(
    plan,
    (p) => ({ request: p.planned ?? p.request }),
    (from, to) => sent.set(to, from.request),
  );
  return { plan: planned, sent };
}

/** A response to `sent`, with its metrics named as `planned` (a request of asPlanned's plan) names them. */
export function readAsPlanned(res: MetricsResponse, sent: MetricsRequest, planned: MetricsRequest): MetricsResponse {
  return readBack(res, sent.metricnames, planned.metricnames);
}

/** "Read from the Models metric family (Foundry resource): ModelRequests for AzureOpenAIRequests", per family that stood in. */
export function familyNotes(plan: Plan): string[] {
  const byFamily = new Map<MetricFamilyId, { resources: Set<Resource>; names: Map<string, string> }>();
  for (const p of plan.requests) {
    if (p.planned === undefined || p.conditional !== undefined) continue;
    const family = familyOf(p.resource);
    const entry = byFamily.get(family) ?? { resources: new Set<Resource>(), names: new Map<string, string>() };
    entry.resources.add(p.resource);
    const asked = p.planned.metricnames.split(",");
    p.request.metricnames.split(",").forEach((sent, i) => {
      const was = asked[i];
      if (was !== undefined && was !== sent) entry.names.set(sent, was);
    });
    byFamily.set(family, entry);
  }
  return [...byFamily].map(([id, { resources, names }]) => {
    const family = METRIC_FAMILIES[id];
    const all = resources.size === plan.resources.length;
    const kind = resources.size > 1 ? `${family.resourceKind}s` : family.resourceKind;
    const which = all ? kind : `${kind} ${[...resources].map((r) => r.name).join(", ")}`;
    return `Read from the ${family.displayName} metric family (${which}): ${[...names].map(([sent, was]) => `${sent} for ${was}`).join(", ")}.`;
  });
}

/** A figure's provenance names the metric as it was sent to its resource. */
export function provenanceInFamily(result: MetricResult, resources: readonly Resource[]): MetricResult {
  const resource = resources.find((r) => r.id === result.resource.id);
  const sent = resource === undefined ? result.provenance.metric : metricNameIn(familyOf(resource), result.provenance.metric);
  return sent === result.provenance.metric ? result : { ...result, provenance: { ...result.provenance, metric: sent } };
}

/** A metric of the other family may lack a dimension its equivalent has (ProvisionedUtilization has no StreamType). */
function checkDimensions(p: PlannedRequest, sent: string, planned: string): void {
  const was = planned.split(",");
  sent.split(",").forEach((name, i) => {
    const info = findMetric(name);
    const missing = info === undefined ? undefined : p.clauses.find((c) => !info.dimensions.includes(c.dimension));
    if (info === undefined || missing === undefined) return;
    const family = METRIC_FAMILIES[familyOf(p.resource)];
    throw new UnsupportedDimensionError(`${p.resource.name} reports ${was[i] ?? name} as ${info.name} (the ${family.displayName} metric family), which has no ${missing.dimension} dimension, so it can't be filtered or split that way there.`, {
      hint: `${info.name} can be filtered or split by: ${info.dimensions.join(", ")}.`,
    });
  });
}

/** Rebuilds every planned request (keeping which request a check is `of`); `planned` is only kept where `names` returns one. */
function remap<P extends Plan>(plan: P, names: (p: PlannedRequest) => { readonly request: MetricsRequest; readonly planned?: MetricsRequest }, each?: (from: PlannedRequest, to: PlannedRequest) => void): P {
  const done = new Map<PlannedRequest, PlannedRequest>();
  const copy = (p: PlannedRequest): PlannedRequest => {
    const known = done.get(p);
    if (known !== undefined) return known;
    const { request, planned } = names(p);
    // `planned` and `of` are replaced, not kept from p: a plan read as planned has no `planned`
    const to: PlannedRequest = { ...p, request, planned, of: p.of === undefined ? undefined : copy(p.of) };
    done.set(p, to);
    each?.(p, to);
    return to;
  };
  return { ...plan, requests: plan.requests.map(copy) };
}
