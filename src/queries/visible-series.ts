// The last guard for a restricted asker (scope.ts): planning already asks Azure for the visible
// deployments only, and a response is read through this too, so a series Azure sent for another
// deployment (a filter it read differently) never reaches a figure, a total or a split row.
import type { MetricsResponse } from "./azure-metrics.ts";
import type { Resource } from "./resources.ts";
import { isRestricted, showsDeployment } from "./scope.ts";

/** The response without series of deployments `resource` hides; a merged series (no deployment named) stays. */
export function visibleSeries(res: MetricsResponse, resource: Resource): MetricsResponse {
  if (!isRestricted(resource)) return res;
  return {
    ...res,
    value: res.value.map((m) => ({
      ...m,
      timeseries: m.timeseries.filter((ts) => {
        const deployment = ts.metadatavalues?.find((mv) => mv.name?.value.toLowerCase() === "modeldeploymentname")?.value;
        return deployment === undefined || showsDeployment(resource, deployment);
      }),
    })),
  };
}
