// What a resource reports about its deployments, read from dimension values (Metrics - List with
// resultType=Metadata) rather than configured: each deployment's model (ModelName), and whether it
// is provisioned (it has AzureOpenAIProvisionedManagedUtilizationV2 series, which only PTU
// deployments report). One request per resource gives all three: names, models and provisioned.
import type { Response as MetricsResponse } from "@azure/arm-monitor";

export interface DeploymentFacts {
  readonly name: string;
  /** ModelName values its requests reported (normally one). */
  readonly models: readonly string[];
  /** Reported provisioned-managed utilisation: a provisioned (PTU) deployment. */
  readonly provisioned: boolean;
}

/** The metric whose series only provisioned deployments have. */
export const PROVISIONED_METRIC = "AzureOpenAIProvisionedManagedUtilizationV2";

/** The lookup's parameters: both metrics, split by deployment and model (both have those dimensions). */
export const DEPLOYMENT_FACTS_QUERY = {
  metricnames: `AzureOpenAIRequests,${PROVISIONED_METRIC}`,
  filter: "ModelDeploymentName eq '*' and ModelName eq '*'",
} as const;

export function deploymentFactsOf(res: MetricsResponse): DeploymentFacts[] {
  const models = new Map<string, Set<string>>();
  const provisioned = new Set<string>();
  for (const m of res.value) {
    const isProvisioned = m.name.value.toLowerCase() === PROVISIONED_METRIC.toLowerCase();
    for (const ts of m.timeseries) {
      const name = dimensionValue(ts.metadatavalues, "modeldeploymentname");
      if (name === undefined) continue;
      if (isProvisioned) {
        provisioned.add(name);
        continue;
      }
      const set = models.get(name) ?? new Set<string>();
      const model = dimensionValue(ts.metadatavalues, "modelname");
      if (model !== undefined) set.add(model);
      models.set(name, set);
    }
  }
  // a provisioned deployment without requests in the lookback is still a deployment
  for (const name of provisioned) if (!models.has(name)) models.set(name, new Set());
  return [...models.keys()].sort().map((name) => ({ name, models: [...(models.get(name) ?? [])].sort(), provisioned: provisioned.has(name) }));
}

/** The values of one dimension across a Metadata response's series, as Azure spelled them. */
export function dimensionValuesOf(res: MetricsResponse, dimension: string): string[] {
  const key = dimension.toLowerCase();
  const values = res.value.flatMap((m) => m.timeseries.map((ts) => dimensionValue(ts.metadatavalues, key)));
  return [...new Set(values.filter((v): v is string => v !== undefined))].sort();
}

function dimensionValue(values: readonly { name?: { value: string }; value?: string }[] | undefined, key: string): string | undefined {
  const v = values?.find((mv) => mv.name?.value.toLowerCase() === key)?.value;
  return v === undefined || v.length === 0 ? undefined : v;
}
