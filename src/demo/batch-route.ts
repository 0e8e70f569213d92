// The simulator's metrics:getBatch (the data plane's batch read, spec 2024-02-01): POST
// /subscriptions/{sub}/metrics:getBatch at https://<region>.metrics.monitor.azure.com with
// `{"resourceids":[…]}`, the window as starttime/endtime and `filter` without `$`; each account is
// answered as its own Metrics - List request would be, inside `{"values":[…]}`. The demo account
// lives in DEMO_REGION: a batch sent to another region's host is refused as the service refuses
// accounts of another region.
import { ArmError, badRequest } from "./arm-error.ts";
import { DEMO_REGION } from "./demo-resource.ts";
import type { WireMetricsResponse } from "./metrics-response.ts";

export const BATCH_ROUTE = /^\/subscriptions\/([^/]+)\/metrics:getbatch$/i;
const BATCH_VERSIONS = ["2023-10-01", "2024-02-01"];
const MAX_RESOURCES = 50;
const REGIONAL_HOST = /^([a-z0-9]+)\.metrics\.monitor\.azure\.com$/i;

export interface BatchCall {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  /** Query parameters, names lower-cased. */
  readonly params: ReadonlyMap<string, string>;
  readonly body: string | undefined;
}

/**
 * The batch answer: `answers(id)` says which accounts have data (one left out of `values`
 * otherwise, as the service leaves out what it cannot read), `list` answers one Metrics - List
 * query (the demo account's, re-addressed to each account).
 */
export function answerBatch(call: BatchCall, answers: (resourceId: string) => boolean, list: (params: ReadonlyMap<string, string>) => WireMetricsResponse): unknown {
  if (call.method.toUpperCase() !== "POST") throw new ArmError(405, "MethodNotAllowed", `The requested resource does not support http method '${call.method}'.`);
  const version = call.params.get("api-version");
  if (version === undefined || !BATCH_VERSIONS.includes(version)) throw badRequest(`The api-version '${version ?? ""}' is invalid. The supported versions are '${BATCH_VERSIONS.join(",")}'.`);
  const region = REGIONAL_HOST.exec(call.host)?.[1]?.toLowerCase();
  if (region !== undefined && region !== DEMO_REGION) throw badRequest(`The resources are not in region '${region}': send the batch to the region the resources are in.`);
  if (!call.params.get("metricnamespace")) throw badRequest("The metricnamespace parameter is required.");
  const subscription = BATCH_ROUTE.exec(call.path)?.[1]?.toLowerCase() ?? "";
  const ids = resourceIds(call.body);
  for (const id of ids) {
    if (!id.toLowerCase().startsWith(`/subscriptions/${subscription}/`)) throw badRequest(`Resource '${id}' is not in subscription '${subscription}': every resource of a batch must be.`);
  }
  const start = call.params.get("starttime");
  const end = call.params.get("endtime");
  if (start === undefined || end === undefined) throw badRequest("starttime and endtime are required.");
  const params = new Map(call.params);
  params.delete("starttime");
  params.delete("endtime");
  params.set("timespan", `${start}/${end}`);
  const one = list(params);
  return {
    values: ids.filter(answers).map((id) => ({
      starttime: start,
      endtime: end,
      interval: one.interval,
      namespace: one.namespace,
      resourceregion: one.resourceregion,
      resourceid: id,
      value: one.value.map((m) => ({ ...m, id: `${id}${m.id.slice(m.id.toLowerCase().indexOf("/providers/microsoft.insights/metrics/"))}` })),
    })),
  };
}

function resourceIds(body: string | undefined): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? "");
  } catch {
    throw badRequest("The request body must be JSON: {\"resourceids\":[…]}.");
  }
  const ids = (parsed as { resourceids?: unknown } | null)?.resourceids;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id): id is string => typeof id === "string")) throw badRequest("resourceids must list the resource ids to read.");
  const unique = [...new Map(ids.map((id) => [id.toLowerCase(), id])).values()];
  if (unique.length > MAX_RESOURCES) throw badRequest(`A batch may name at most ${MAX_RESOURCES} resources; it named ${unique.length}.`);
  return unique;
}
