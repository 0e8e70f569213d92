// One resource of several refusing the bot (403: a role missing there, 404: a stale id) is that
// resource's failure, not the question's: its figures carry the refusal, as a per-metric error inside
// a 200 does (figures.ts), and the other resources still answer. With one resource, or for failures
// that are not about the resource (throttling, timeouts, the network), the error stays the answer's.
import type { MetricsResponse } from "./azure-metrics.ts";
import { AzureAccessDeniedError, AzureRequestError, type UserError } from "./errors.ts";
import type { MetricsRequest } from "./plan.ts";

const ABOUT_THE_RESOURCE: readonly (abstract new (...args: never[]) => UserError)[] = [AzureAccessDeniedError, AzureRequestError];

/** True when `err` is `resourceId` refusing the bot and other resources could still answer. */
export function refusesResource(err: unknown, resourceId: string, resourceCount: number): err is UserError {
  // a refusal naming this resource (403, 404); one that does not (credentials, the network, a 5xx) is everyone's
  return resourceCount >= 2 && ABOUT_THE_RESOURCE.some((kind) => err instanceof kind) && (err as UserError).message.includes(resourceId);
}

/** A response whose every metric reports `err` for `req`'s resource, or undefined when `err` is the answer's own failure. */
export function refusedResponse(err: unknown, req: MetricsRequest, resourceCount: number): MetricsResponse | undefined {
  if (!refusesResource(err, req.resourceId, resourceCount)) return undefined;
  const errorMessage = err.hint === undefined ? err.message : `${err.message} ${err.hint}`;
  return {
    timespan: req.timespan,
    value: req.metricnames.split(",").map((name) => ({ id: `${req.resourceId}/providers/Microsoft.Insights/metrics/${name}`, type: "Microsoft.Insights/metrics", name: { value: name, localizedValue: name }, unit: "Unspecified", errorCode: err.code, errorMessage, timeseries: [] })),
  };
}
